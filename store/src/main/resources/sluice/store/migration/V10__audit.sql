-- The audit log: every configuration change made through the admin API. Append-only; seq orders
-- entries that share a millisecond. details is compact JSON with secrets already redacted.
CREATE TABLE audit_log (
    seq             BIGINT PRIMARY KEY,
    at              BIGINT NOT NULL,
    actor           TEXT NOT NULL,
    organization_id TEXT,
    action          TEXT NOT NULL,
    target_id       TEXT,
    details         TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_org_at ON audit_log (organization_id, at);
