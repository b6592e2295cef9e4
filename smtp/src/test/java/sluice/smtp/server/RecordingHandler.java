package sluice.smtp.server;

import sluice.smtp.ConnectionInfo;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;
import sluice.smtp.SessionHandler;
import sluice.smtp.SessionHandlerFactory;
import sluice.smtp.TlsInfo;
import sluice.smtp.Transaction;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A handler factory that accepts everything by default and records what the server handed over, for
 * every session it opens. Tests swap in other behaviour through the public fields.
 */
final class RecordingHandler implements SessionHandlerFactory {

    final List<ConnectionInfo> connections = new CopyOnWriteArrayList<>();
    final List<MailFrom> mails = new CopyOnWriteArrayList<>();
    final List<RcptTo> recipients = new CopyOnWriteArrayList<>();
    final List<TlsInfo> tls = new CopyOnWriteArrayList<>();
    final List<String> auths = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final BlockingQueue<Transaction> messages = new LinkedBlockingQueue<>();

    volatile Supplier<Reply> onConnect = () -> null;
    volatile Function<String, Reply> onHelo = domain -> null;
    volatile Function<MailFrom, Reply> onMail = m -> Reply.of(250, "2.1.0", "Sender OK");
    volatile Function<RcptTo, Reply> onRcpt = r -> Reply.of(250, "2.1.5", "Recipient OK");
    volatile Function<Transaction, Reply> onData = t -> Reply.of(250, "2.0.0", "Queued as TEST");
    /** user:password pairs that authenticate. */
    volatile String validCredentials = "alice:secret";

    @Override
    public SessionHandler open(ConnectionInfo connection) {
        connections.add(connection);
        return new SessionHandler() {
            @Override public Reply connect() {
                return onConnect.get();
            }
            @Override public Reply helo(String domain, boolean extended) {
                events.add((extended ? "ehlo " : "helo ") + domain);
                return onHelo.apply(domain);
            }
            @Override public void tlsStarted(TlsInfo info) {
                tls.add(info);
                events.add("tls");
            }
            @Override public Reply mail(MailFrom mailFrom) {
                mails.add(mailFrom);
                return onMail.apply(mailFrom);
            }
            @Override public Reply rcpt(RcptTo rcptTo) {
                recipients.add(rcptTo);
                return onRcpt.apply(rcptTo);
            }
            @Override public Reply data(Transaction transaction) {
                messages.add(transaction);
                return onData.apply(transaction);
            }
            @Override public Reply auth(String mechanism, String authzid, String username, String password) {
                auths.add(mechanism + ":" + authzid + ":" + username);
                return (username + ":" + password).equals(validCredentials)
                        ? Reply.of(235, "2.7.0", "Authentication successful")
                        : Reply.of(535, "5.7.8", "Authentication credentials invalid");
            }
            @Override public void reset() {
                events.add("reset");
            }
            @Override public void close() {
                events.add("close");
            }
        };
    }

    /** The next delivered message, waiting a little for the session thread. */
    Transaction nextMessage() throws InterruptedException {
        Transaction t = messages.poll(5, TimeUnit.SECONDS);
        if (t == null) throw new AssertionError("no message was delivered to the handler");
        return t;
    }

    static String text(Transaction t) {
        return new String(t.content(), StandardCharsets.ISO_8859_1);
    }
}
