-- The directory. Names and addresses are unique across the whole deployment: one domain or
-- address belongs to one organization, or mail could be attributed to the wrong tenant.
CREATE TABLE organizations (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    -- lower-cased name: organization names are unique regardless of case
    name_key           TEXT NOT NULL UNIQUE,
    reject_direct_send INTEGER NOT NULL
);

CREATE TABLE accepted_domains (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES organizations (id),
    domain           TEXT NOT NULL UNIQUE,
    type             TEXT NOT NULL,
    match_subdomains INTEGER NOT NULL
);
CREATE INDEX accepted_domains_org ON accepted_domains (organization_id);

CREATE TABLE mailboxes (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    address         TEXT NOT NULL,
    display_name    TEXT,
    password_hash   TEXT,
    quota_bytes     BIGINT NOT NULL
);
CREATE INDEX mailboxes_org ON mailboxes (organization_id);

-- Every address of a mailbox, primary (position 0) and aliases (1..n), in one table so that one
-- primary key keeps an address unique across primaries and aliases of all mailboxes.
CREATE TABLE mailbox_addresses (
    address_key TEXT PRIMARY KEY,
    mailbox_id  TEXT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    address     TEXT NOT NULL,
    position    INTEGER NOT NULL
);
CREATE INDEX mailbox_addresses_mailbox ON mailbox_addresses (mailbox_id, position);
