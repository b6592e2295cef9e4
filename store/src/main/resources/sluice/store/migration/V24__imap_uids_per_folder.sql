-- IMAP UIDs per folder (RFC 9051 section 2.3.1.1): each folder has its own next UID, so a
-- folder's UIDNEXT changes only when a message is added to that folder. mailbox_messages is keyed
-- by (mailbox, folder, uid) now; SQLite cannot change a primary key in place, so the table is
-- copied (messages keep their UIDs, flags and content).
--
-- A folder's counter row is created when the first message goes into it after this version, and
-- starts at mailbox_counters.first_folder_uid: the old mailbox-wide next UID for a mailbox that
-- existed before, 1 for a new one. That is the UIDNEXT clients last saw for every folder, so it
-- never goes down and no UID a client may have seen (even of a message expunged since) comes back
-- under the same UIDVALIDITY, which stays as it is.
CREATE TABLE mailbox_folder_counters (
    mailbox_id TEXT NOT NULL,
    folder     TEXT NOT NULL,
    next_uid   BIGINT NOT NULL,
    PRIMARY KEY (mailbox_id, folder)
);

ALTER TABLE mailbox_counters RENAME COLUMN next_uid TO first_folder_uid;
-- Above every stored UID, should any database not have kept the old rule (every UID below next_uid).
UPDATE mailbox_counters SET first_folder_uid = COALESCE((SELECT MAX(m.uid) + 1 FROM mailbox_messages m
    WHERE m.mailbox_id = mailbox_counters.mailbox_id AND m.uid >= mailbox_counters.first_folder_uid), first_folder_uid);

CREATE TABLE mailbox_messages_by_folder (
    mailbox_id  TEXT NOT NULL,
    folder      TEXT NOT NULL,
    uid         BIGINT NOT NULL,
    size        BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    content     ${blob} NOT NULL,
    flags       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox_id, folder, uid)
);
INSERT INTO mailbox_messages_by_folder (mailbox_id, folder, uid, size, received_at, content, flags)
    SELECT mailbox_id, folder, uid, size, received_at, content, flags FROM mailbox_messages;
DROP TABLE mailbox_messages;
ALTER TABLE mailbox_messages_by_folder RENAME TO mailbox_messages;
