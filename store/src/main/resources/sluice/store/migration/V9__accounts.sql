-- Administrator accounts and their API tokens. Usernames are unique regardless of case (username_key
-- is the lower-cased name). Organization ids are not foreign keys: deleting an organization must not
-- fail because an administrator was once scoped to it; a vanished id simply grants nothing.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL,
    username_key  TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    enabled       INTEGER NOT NULL,
    password_hash TEXT
);

CREATE TABLE user_organizations (
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    PRIMARY KEY (user_id, organization_id)
);

-- Only the SHA-256 of a token's secret is stored; it is the lookup key when a request presents one.
CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
