-- How a message reached us (INTERNET, PARTNER, ON_PREMISES, SUBMISSION, SYSTEM) and whether it is
-- internal to its organization: routing (centralized transport, loop refusal) and filtering read them.
-- V5 is the connectors migration.
ALTER TABLE messages ADD COLUMN origin TEXT NOT NULL DEFAULT 'INTERNET';
ALTER TABLE messages ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
