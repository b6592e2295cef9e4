-- Domains an organization administrator added and has not yet proven to own with a DNS TXT record
-- (sluice.core.org.PendingDomains). Not accepted domains: the same name may be pending in several
-- organizations, and the first to publish its token gets it. (There is no V17.)
CREATE TABLE pending_domains (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    domain           TEXT NOT NULL,
    type             TEXT NOT NULL,
    match_subdomains INTEGER NOT NULL,
    token            TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    UNIQUE (organization_id, domain)
);
