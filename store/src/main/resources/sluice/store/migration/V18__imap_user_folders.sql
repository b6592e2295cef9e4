-- Folders IMAP clients create in hosted mailboxes, and their subscriptions. A user folder's
-- messages carry its key ("U" and its UIDVALIDITY) in mailbox_messages.folder, so RENAME changes
-- only names here. last_folder_validity is the largest UIDVALIDITY given to a user folder of the
-- mailbox: a folder created again (same name or not) always gets a larger one, so a client never
-- sees a UIDVALIDITY it could have cached for different messages.
CREATE TABLE mailbox_folders (
    mailbox_id   TEXT NOT NULL,
    name         TEXT NOT NULL,
    folder_key   TEXT NOT NULL,
    selectable   INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, name)
);

CREATE TABLE mailbox_subscriptions (
    mailbox_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (mailbox_id, name)
);

ALTER TABLE mailbox_counters ADD COLUMN last_folder_validity BIGINT NOT NULL DEFAULT 0;
