-- Connectors. Names are unique per organization and direction (as in EOP, where inbound and
-- outbound connectors are separate lists), regardless of case.
--
-- The list-valued settings (IP ranges, domain patterns, smart hosts) are short, always read and
-- written with their connector and never queried by value, so each is one TEXT column with one value
-- per line: none of their syntaxes admits a line break, and this stays portable to PostgreSQL.
CREATE TABLE inbound_connectors (
    id                               TEXT PRIMARY KEY,
    organization_id                  TEXT NOT NULL REFERENCES organizations (id),
    name                             TEXT NOT NULL,
    name_key                         TEXT NOT NULL,
    type                             TEXT NOT NULL,
    enabled                          INTEGER NOT NULL,
    comment                          TEXT,
    sender_ip_addresses              TEXT NOT NULL,
    tls_sender_certificate_name      TEXT,
    sender_domains                   TEXT NOT NULL,
    require_tls                      INTEGER NOT NULL,
    restrict_domains_to_ip_addresses INTEGER NOT NULL,
    restrict_domains_to_certificate  INTEGER NOT NULL,
    treat_messages_as_internal       INTEGER NOT NULL,
    ef_skip_ips                      TEXT NOT NULL,
    ef_skip_last_ip                  INTEGER NOT NULL,
    UNIQUE (organization_id, name_key)
);

CREATE TABLE outbound_connectors (
    id                                 TEXT PRIMARY KEY,
    organization_id                    TEXT NOT NULL REFERENCES organizations (id),
    name                               TEXT NOT NULL,
    name_key                           TEXT NOT NULL,
    type                               TEXT NOT NULL,
    enabled                            INTEGER NOT NULL,
    comment                            TEXT,
    recipient_domains                  TEXT NOT NULL,
    all_accepted_domains               INTEGER NOT NULL,
    smart_hosts                        TEXT NOT NULL,
    use_mx_record                      INTEGER NOT NULL,
    tls_settings                       TEXT NOT NULL,
    tls_domain                         TEXT,
    is_transport_rule_scoped           INTEGER NOT NULL,
    route_all_messages_via_on_premises INTEGER NOT NULL,
    -- the last validation: null when never validated; its per-host reports are child rows
    validated_at                       BIGINT,
    validation_succeeded               INTEGER,
    UNIQUE (organization_id, name_key)
);

CREATE TABLE outbound_connector_validation_hosts (
    connector_id TEXT NOT NULL REFERENCES outbound_connectors (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    host         TEXT NOT NULL,
    succeeded    INTEGER NOT NULL,
    -- the steps, one per line
    steps        TEXT NOT NULL,
    error        TEXT,
    PRIMARY KEY (connector_id, position)
);
