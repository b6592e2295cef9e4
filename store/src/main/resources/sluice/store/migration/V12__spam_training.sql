-- Each organization's own anti-spam training (junk / not junk reports) as the overlay's text form.
CREATE TABLE spam_training (
    organization_id TEXT PRIMARY KEY,
    model           ${blob} NOT NULL,
    updated_at      BIGINT NOT NULL
);
