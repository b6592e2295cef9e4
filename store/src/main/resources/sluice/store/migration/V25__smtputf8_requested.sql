-- Whether the client asked for SMTPUTF8 in MAIL FROM (RFC 6531 section 3.4), kept with the message as
-- Postfix keeps it in its queue file: delivery asks a next hop that offers SMTPUTF8 for it too, and
-- returns the message from a hop without it only when its envelope or header section has UTF-8 in it.
-- A held message keeps it for its release. Rows from before this version were received without the
-- request being kept and are sent as they were then: as a message whose client did not ask (0).
ALTER TABLE messages ADD COLUMN smtp_utf8 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quarantine ADD COLUMN smtp_utf8 INTEGER NOT NULL DEFAULT 0;
