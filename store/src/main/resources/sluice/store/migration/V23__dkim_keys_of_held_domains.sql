-- From this version a DKIM key lives only while its domain is an accepted domain of its organization:
-- deleting the accepted domain deletes the organization's keys for it. Keys left behind by earlier
-- versions, of domains their organization no longer holds (deleted, perhaps verified by another
-- organization since), go now: they can no longer be enabled or rotated, they hold selectors of the
-- domain's current owner (UNIQUE (domain, selector) of V11 stays: one TXT record per selector name),
-- and they are private keys that could still sign as the domain wherever the old record is published.
-- Plain SQL, the same for SQLite and PostgreSQL.
DELETE FROM dkim_keys
WHERE NOT EXISTS (SELECT 1 FROM accepted_domains a
                  WHERE a.organization_id = dkim_keys.organization_id AND a.domain = dkim_keys.domain);
