package sluice.core.receive;

import sluice.core.mailbox.MailboxStore;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.Spool;
import sluice.core.route.Router;
import sluice.core.trace.Trace;
import sluice.smtp.ConnectionInfo;
import sluice.smtp.SessionHandler;
import sluice.smtp.SessionHandlerFactory;

import java.time.InstantSource;
import java.time.ZoneId;

/**
 * The inbound side of the mail flow as an SMTP session factory: each connection gets an
 * {@link InboundSession} sharing these collaborators.
 */
public final class Receiver implements SessionHandlerFactory {

    final Router router;
    final MailboxStore mailboxes;
    final Spool spool;
    final QueueRunner queue;
    final Trace trace;
    final InstantSource clock;
    final ZoneId zone;
    final String hostname;

    public Receiver(Router router, MailboxStore mailboxes, Spool spool, QueueRunner queue, Trace trace,
                    InstantSource clock, ZoneId zone, String hostname) {
        this.router = router;
        this.mailboxes = mailboxes;
        this.spool = spool;
        this.queue = queue;
        this.trace = trace;
        this.clock = clock;
        this.zone = zone;
        this.hostname = hostname;
    }

    @Override
    public SessionHandler open(ConnectionInfo connection) {
        return new InboundSession(this, connection);
    }
}
