-- Whether an outbound connector's next hops may be this node's own addresses (loopback, link-local,
-- its interfaces): set when a global administrator sets them, cleared when an organization
-- administrator does. Connectors made before this column existed keep working as they did (1); an
-- organization administrator's next save of their next hops clears it.
ALTER TABLE outbound_connectors ADD COLUMN local_hops_allowed INTEGER NOT NULL DEFAULT 1;
