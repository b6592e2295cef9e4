-- Hosted mailbox content. No foreign key to mailboxes: a mailbox's mail outlives a directory
-- mistake until an administrator purges it.
CREATE TABLE mailbox_counters (
    mailbox_id TEXT PRIMARY KEY,
    next_uid   BIGINT NOT NULL,
    used_bytes BIGINT NOT NULL
);

CREATE TABLE mailbox_messages (
    mailbox_id  TEXT NOT NULL,
    uid         BIGINT NOT NULL,
    folder      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    content     ${blob} NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX mailbox_messages_folder ON mailbox_messages (mailbox_id, folder, uid);
