-- One trace summary per (message, organization, recipient). A submission split per organization
-- (sluice.core.receive.Copies) gives every copy the message's network message id, and two copies can
-- name the same recipient (a Bcc rule in each organization, the same outside partner): keyed by
-- (network_id, recipient_key) they shared one row, whose status followed either copy and whose
-- organization was the first one's, so one organization's search showed or hid the other's copy.
--
-- organization_id joins the key, so it cannot be null (PostgreSQL refuses a null key column, and
-- SQLite's unique index would take every null as distinct, so ON CONFLICT never met the row): ''
-- stands for mail of no organization (a postmaster stand-in's copy), as recipient_key '' stands for
-- no recipient. Every writer traces one copy's events under that copy's organization, so a recipient
-- never gets two halves of one copy's summary.
--
-- Neither database changes a primary key in place: the table is built again, its rows copied. Rows
-- written before this version keep the organization they had (for a recipient shared by copies, the
-- first copy's).
CREATE TABLE trace_recipients_v20 (
    network_id      TEXT NOT NULL,
    -- '' for no organization
    organization_id TEXT NOT NULL,
    -- lower-cased recipient, '' for an event that names none
    recipient_key   TEXT NOT NULL,
    recipient       TEXT,
    sender          TEXT,
    sender_key      TEXT,
    message_id      TEXT,
    subject         TEXT,
    size            BIGINT NOT NULL,
    received_at     BIGINT NOT NULL,
    status          TEXT NOT NULL,
    -- (status_at, status_seq) of the event that set status: a late-arriving older event cannot
    -- overwrite a newer status
    status_at       BIGINT NOT NULL,
    status_seq      BIGINT NOT NULL,
    PRIMARY KEY (network_id, organization_id, recipient_key)
);

INSERT INTO trace_recipients_v20 (network_id, organization_id, recipient_key, recipient, sender, sender_key,
        message_id, subject, size, received_at, status, status_at, status_seq)
    SELECT network_id, COALESCE(organization_id, ''), recipient_key, recipient, sender, sender_key,
        message_id, subject, size, received_at, status, status_at, status_seq
    FROM trace_recipients;

DROP TABLE trace_recipients;
ALTER TABLE trace_recipients_v20 RENAME TO trace_recipients;

CREATE INDEX trace_recipients_received ON trace_recipients (received_at);
CREATE INDEX trace_recipients_sender ON trace_recipients (sender_key, received_at);
CREATE INDEX trace_recipients_recipient ON trace_recipients (recipient_key, received_at);
CREATE INDEX trace_recipients_org ON trace_recipients (organization_id, received_at);
CREATE INDEX trace_recipients_status ON trace_recipients (status, received_at);
CREATE INDEX trace_recipients_message_id ON trace_recipients (message_id);
