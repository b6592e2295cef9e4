-- Quarantined messages: held instead of delivered until released, deleted or expired. Searched by
-- organization, sender, recipient, reason and time; purged by expiry. V5/V6: connectors, origin.
CREATE TABLE quarantine (
    id              TEXT PRIMARY KEY,
    organization_id TEXT,
    network_id      TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    sender          TEXT NOT NULL,
    -- lower-cased sender for case-insensitive search
    sender_key      TEXT NOT NULL,
    reason          TEXT NOT NULL,
    details         TEXT NOT NULL,
    subject         TEXT,
    message_id      TEXT,
    size            BIGINT NOT NULL,
    origin          TEXT NOT NULL,
    internal        INTEGER NOT NULL,
    client_address  TEXT,
    helo_name       TEXT,
    released_by     TEXT,
    released_at     BIGINT,
    content_crc     BIGINT NOT NULL,
    content         ${blob} NOT NULL
);
CREATE INDEX quarantine_received ON quarantine (received_at);
CREATE INDEX quarantine_org ON quarantine (organization_id, received_at);
CREATE INDEX quarantine_sender ON quarantine (sender_key, received_at);
CREATE INDEX quarantine_expires ON quarantine (expires_at);

CREATE TABLE quarantine_recipients (
    quarantine_id TEXT NOT NULL REFERENCES quarantine (id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    address       TEXT NOT NULL,
    address_key   TEXT NOT NULL,
    released      INTEGER NOT NULL,
    PRIMARY KEY (quarantine_id, idx)
);
CREATE INDEX quarantine_recipients_key ON quarantine_recipients (address_key);
