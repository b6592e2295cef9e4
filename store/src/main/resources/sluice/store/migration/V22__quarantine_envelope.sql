-- A quarantined message keeps the rest of the envelope the spool keeps (V1, V15), so that a released
-- copy is queued as the original would have been: the sender's DSN request (RFC 3461: RET and ENVID
-- of MAIL FROM, NOTIFY and ORCPT of each RCPT TO) and the outbound connector a mail flow rule chose.
-- Values as in the spool: RET 'FULL' / 'HDRS' or null, NOTIFY keywords comma-separated and upper case
-- with '' for the default. Entries held before this version were held without them and get exactly
-- that: no parameters (the defaults) and no rule connector.
ALTER TABLE quarantine ADD COLUMN dsn_ret TEXT;
ALTER TABLE quarantine ADD COLUMN dsn_envid TEXT;
ALTER TABLE quarantine ADD COLUMN transport_rule_connector TEXT;
ALTER TABLE quarantine_recipients ADD COLUMN notify TEXT NOT NULL DEFAULT '';
ALTER TABLE quarantine_recipients ADD COLUMN orcpt TEXT;
