-- Retention (SqlTrace.purgeBefore) keeps the trace of every message still in our custody: queued for
-- delivery or held in quarantine. These indexes make that check one look-up per purged row rather
-- than a scan of the queue, whose rows carry message bodies.
CREATE INDEX messages_network ON messages (network_id);
CREATE INDEX quarantine_network ON quarantine (network_id);
