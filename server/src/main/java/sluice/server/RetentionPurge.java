package sluice.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.store.account.SqlAuditLog;
import sluice.store.trace.SqlTrace;

import java.time.Instant;
import java.time.InstantSource;
import java.util.function.ToLongFunction;

/**
 * Hourly housekeeping: message trace events and audit entries older than their retention are
 * removed, in batches that never hold up mail flow for long (see {@link SqlTrace#purgeBefore}).
 * A purge that removed something logs one line; a failure is logged and retried on the next run, and one store's
 * failure does not keep the other from being purged.
 */
final class RetentionPurge implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);

    private final SqlTrace trace;
    private final SqlAuditLog auditLog;
    private final NodeConfig.Retention retention;
    private final InstantSource clock;

    RetentionPurge(SqlTrace trace, SqlAuditLog auditLog, NodeConfig.Retention retention, InstantSource clock) {
        this.trace = trace;
        this.auditLog = auditLog;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        purge("message trace", "event(s)", now.minus(retention.trace()), trace::purgeBefore);
        purge("audit log", "entr(ies)", now.minus(retention.audit()), auditLog::purgeBefore);
    }

    private static void purge(String what, String unit, Instant cutoff, ToLongFunction<Instant> purgeBefore) {
        try {
            long removed = purgeBefore.applyAsLong(cutoff);
            if (removed > 0) LOG.info("retention: removed {} {} {} older than {}", removed, what, unit, cutoff);
            else LOG.debug("retention: nothing in the {} older than {}", what, cutoff);
        } catch (RuntimeException e) {
            LOG.warn("{} retention purge failed; will retry in an hour: {}", what, e.toString());
        }
    }
}
