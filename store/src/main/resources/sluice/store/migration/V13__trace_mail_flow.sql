-- The dashboard's mail flow counts events per hour over a time range (Trace.mailFlow): this index
-- serves the range and, holding the organization and type, lets the count read the index alone for
-- every event but FAIL (whose detail tells a rejection from a bounce).
CREATE INDEX trace_events_time ON trace_events (at, organization_id, type);
