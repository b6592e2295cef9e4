-- The durable queue. Shared by SQLite and PostgreSQL: ids TEXT, times epoch millis BIGINT,
-- flags INTEGER 0/1, bodies ${blob} (BLOB / BYTEA).
CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    network_id      TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    sender          TEXT NOT NULL,
    organization_id TEXT,
    dsn_ret         TEXT,
    dsn_envid       TEXT,
    client_address  TEXT,
    helo_name       TEXT,
    size            BIGINT NOT NULL,
    -- CRC32C of content: lets a read tell a damaged body from a good one and move it aside.
    content_crc     BIGINT NOT NULL,
    content         ${blob} NOT NULL
);
CREATE INDEX messages_received ON messages (received_at, id);

CREATE TABLE recipients (
    message_id      TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    idx             INTEGER NOT NULL,
    address         TEXT NOT NULL,
    -- RFC 3461 NOTIFY keywords, comma-separated, upper case; empty for the default.
    notify          TEXT NOT NULL,
    orcpt           TEXT,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_reply      TEXT,
    delay_notified  INTEGER NOT NULL,
    PRIMARY KEY (message_id, idx)
);
CREATE INDEX recipients_due ON recipients (state, next_attempt_at);

-- Rows we could not read back (damaged body, unparsable address or id). Never dropped: moved here
-- with their raw values so an operator can inspect or repair them.
CREATE TABLE dead_letters (
    id          TEXT PRIMARY KEY,
    message_id  TEXT NOT NULL,
    moved_at    BIGINT NOT NULL,
    reason      TEXT NOT NULL,
    -- the raw column values of the message row and its recipient rows, as text
    envelope    TEXT NOT NULL,
    content     ${blob}
);
