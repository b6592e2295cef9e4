package sluice.core.receive;

import sluice.core.connector.InboundMatcher;
import sluice.core.filter.Pipeline;
import sluice.core.mailbox.MailboxStore;
import sluice.core.quarantine.Quarantine;
import sluice.core.org.Directory;
import sluice.core.org.DkimSigningKeys;
import sluice.core.org.Passwords;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.Spool;
import sluice.core.route.Router;
import sluice.core.trace.Trace;
import sluice.smtp.SessionHandlerFactory;

import java.time.InstantSource;
import java.time.ZoneId;

/**
 * The inbound side of the mail flow. {@link #mx()} serves the MX listener (port 25: the internet,
 * partners, on-premises servers attributed by connector, direct send); {@link #submission()} serves
 * client submission (port 587: SMTP AUTH with a mailbox's credentials).
 */
public final class Receiver {

    final Router router;
    final Directory directory;
    final InboundMatcher connectors;
    final MailboxStore mailboxes;
    final Spool spool;
    final QueueRunner queue;
    final Trace trace;
    final InstantSource clock;
    final ZoneId zone;
    final String hostname;
    final Passwords passwords;
    final SubmissionLimits limits;
    final Pipeline pipeline;
    final Quarantine quarantine;
    final DkimSigning dkim;

    public Receiver(Router router, Directory directory, InboundMatcher connectors, MailboxStore mailboxes, Spool spool,
                    QueueRunner queue, Trace trace, InstantSource clock, ZoneId zone, String hostname,
                    Passwords passwords, SubmissionLimits limits, Pipeline pipeline, Quarantine quarantine,
                    DkimSigningKeys dkimKeys) {
        this.router = router;
        this.directory = directory;
        this.connectors = connectors;
        this.mailboxes = mailboxes;
        this.spool = spool;
        this.queue = queue;
        this.trace = trace;
        this.clock = clock;
        this.zone = zone;
        this.hostname = hostname;
        this.passwords = passwords;
        this.limits = limits;
        this.pipeline = pipeline;
        this.quarantine = quarantine;
        this.dkim = new DkimSigning(dkimKeys, clock);
    }

    public SessionHandlerFactory mx() {
        return connection -> new InboundSession(this, connection, false);
    }

    public SessionHandlerFactory submission() {
        return connection -> new InboundSession(this, connection, true);
    }
}
