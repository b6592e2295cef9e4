-- Per-organization protection policies, one row per organization and kind (connection-filter,
-- anti-spam, anti-malware); the body is the policy as JSON. An organization without a row gets the
-- defaults. V7 is the quarantine migration.
CREATE TABLE policies (
    organization_id TEXT NOT NULL,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, kind)
);
