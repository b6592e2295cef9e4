-- The message trace: every event, plus one summary row per (message, recipient) kept current by
-- the trace writer so that searches read one indexed table.
CREATE TABLE trace_events (
    network_id      TEXT NOT NULL,
    seq             BIGINT NOT NULL,
    at              BIGINT NOT NULL,
    type            TEXT NOT NULL,
    queue_id        TEXT,
    message_id      TEXT,
    organization_id TEXT,
    sender          TEXT,
    recipient       TEXT,
    subject         TEXT,
    size            BIGINT NOT NULL,
    client_address  TEXT,
    tls             TEXT,
    remote_reply    TEXT,
    detail          TEXT
);
CREATE INDEX trace_events_message ON trace_events (network_id, at, seq);

CREATE TABLE trace_recipients (
    network_id      TEXT NOT NULL,
    -- lower-cased recipient, '' for an event that names none
    recipient_key   TEXT NOT NULL,
    recipient       TEXT,
    sender          TEXT,
    sender_key      TEXT,
    message_id      TEXT,
    subject         TEXT,
    organization_id TEXT,
    size            BIGINT NOT NULL,
    received_at     BIGINT NOT NULL,
    status          TEXT NOT NULL,
    -- (status_at, status_seq) of the event that set status: a late-arriving older event cannot
    -- overwrite a newer status
    status_at       BIGINT NOT NULL,
    status_seq      BIGINT NOT NULL,
    PRIMARY KEY (network_id, recipient_key)
);
CREATE INDEX trace_recipients_received ON trace_recipients (received_at);
CREATE INDEX trace_recipients_sender ON trace_recipients (sender_key, received_at);
CREATE INDEX trace_recipients_recipient ON trace_recipients (recipient_key, received_at);
CREATE INDEX trace_recipients_org ON trace_recipients (organization_id, received_at);
CREATE INDEX trace_recipients_status ON trace_recipients (status, received_at);
CREATE INDEX trace_recipients_message_id ON trace_recipients (message_id);
