-- DKIM signing keys per accepted domain. The private key is kept as PKCS#8 PEM: the data directory
-- (or the PostgreSQL database) is the trust boundary, as for the mailbox store. V9/V10: accounts, audit.
CREATE TABLE dkim_keys (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL,
    domain          TEXT NOT NULL,
    selector        TEXT NOT NULL,
    key_type        TEXT NOT NULL,
    private_key     TEXT NOT NULL,
    dns_record      TEXT NOT NULL,
    enabled         INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (domain, selector)
);
CREATE INDEX dkim_keys_org ON dkim_keys (organization_id);
