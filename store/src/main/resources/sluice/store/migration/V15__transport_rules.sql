-- Mail flow rules (EOP's transport rules). Names are unique per organization regardless of case.
-- Priorities are kept dense (0..n-1) by the application, which renumbers several rows in one
-- transaction; a unique constraint on them would refuse the intermediate states, so there is none.
-- Conditions, exceptions and actions are JSON objects with EOP's field names: always read and
-- written with their rule, never queried by value. V14 is the trace and audit retention migration.
CREATE TABLE transport_rules (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name            TEXT NOT NULL,
    name_key        TEXT NOT NULL,
    priority        INTEGER NOT NULL,
    enabled         INTEGER NOT NULL,
    comment         TEXT,
    conditions      TEXT NOT NULL,
    exceptions      TEXT NOT NULL,
    actions         TEXT NOT NULL,
    UNIQUE (organization_id, name_key)
);

-- The outbound connector a rule's routeUsingConnector chose for a queued message: routing is
-- resolved again at every attempt, so the choice is kept with the message.
ALTER TABLE messages ADD COLUMN transport_rule_connector TEXT;
