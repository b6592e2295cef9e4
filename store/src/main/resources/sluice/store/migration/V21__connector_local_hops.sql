-- Whether an outbound connector's smart hosts may be this node's own addresses (loopback,
-- link-local, its interfaces): only a global administrator may allow it, and an organization
-- administrator who changes the smart hosts clears it. Existing connectors start without it, since
-- nobody recorded who set their hops: a global administrator sets it again where a connector
-- really delivers to the node itself (a content filter on loopback).
ALTER TABLE outbound_connectors ADD COLUMN local_hops_allowed INTEGER NOT NULL DEFAULT 0;
