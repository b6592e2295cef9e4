-- IMAP access to hosted mailboxes: the system flags of each message (a bit set, see
-- MailboxFolders.Flag) and the UIDVALIDITY of the mailbox's UID counter. Counters that exist
-- already keep 1: their UIDs were never reused. New counters take the time of their creation, so
-- a counter created again (UIDs starting over) can never show a client the same UIDVALIDITY.
ALTER TABLE mailbox_messages ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mailbox_counters ADD COLUMN uid_validity BIGINT NOT NULL DEFAULT 1;
