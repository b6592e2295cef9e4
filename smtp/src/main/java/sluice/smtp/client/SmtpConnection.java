package sluice.smtp.client;

import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;
import sluice.smtp.TlsInfo;
import sluice.smtp.client.SmtpClientException.Stage;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One client connection to an SMTP server, used by one thread at a time. {@link #open} connects and
 * reads the greeting; then {@link #ehlo}, optionally {@link #startTls} (and {@link #ehlo} again, RFC
 * 3207 section 4.2), then any number of {@link #send} transactions separated by {@link #reset}.
 */
public final class SmtpConnection implements Closeable {

    private final InetSocketAddress remote;
    private final Timeouts timeouts;
    private final Wire wire;
    private Reply greeting;
    private Capabilities capabilities = Capabilities.NONE;
    private TlsInfo tls;
    private int transactions;

    private SmtpConnection(InetSocketAddress remote, Timeouts timeouts) throws SmtpClientException {
        this.remote = remote;
        this.timeouts = timeouts;
        this.wire = Wire.connect(remote, timeouts.connect());
    }

    /** Connects in plaintext and reads the 220 greeting; any other greeting is an exception. */
    public static SmtpConnection open(InetSocketAddress remote, Timeouts timeouts) throws SmtpClientException {
        SmtpConnection c = new SmtpConnection(remote, timeouts);
        c.readGreeting();
        return c;
    }

    /** Connects with implicit TLS (RFC 8314) and reads the greeting. */
    public static SmtpConnection openTls(InetSocketAddress remote, Timeouts timeouts, SSLContext ctx, String sniHost)
            throws SmtpClientException {
        SmtpConnection c = new SmtpConnection(remote, timeouts);
        c.tls = tlsInfo(c.wire.startTls(ctx, sniHost, timeouts.command()));
        c.readGreeting();
        return c;
    }

    private void readGreeting() throws SmtpClientException {
        Reply r = wire.read(Stage.GREETING, timeouts.greeting());
        if (r.code() != 220) {
            close();
            throw SmtpClientException.rejected(Stage.GREETING, r);
        }
        greeting = r;
    }

    /** EHLO, falling back to HELO when EHLO is refused with 5xx (RFC 5321 section 3.2). */
    public Capabilities ehlo(String heloName) throws SmtpClientException {
        Reply r = command(Stage.EHLO, "EHLO " + heloName, timeouts.command());
        if (r.code() == 250) return capabilities = Capabilities.parse(r);
        if (!r.isPermanent()) throw SmtpClientException.rejected(Stage.EHLO, r);
        Reply h = command(Stage.EHLO, "HELO " + heloName, timeouts.command());
        if (h.code() != 250) throw SmtpClientException.rejected(Stage.EHLO, h);
        return capabilities = Capabilities.NONE;
    }

    /**
     * STARTTLS (RFC 3207) and the handshake with {@code ctx}, sending {@code sniHost} as SNI when it
     * is a host name. The chain is checked by {@code ctx}'s trust manager; host names are the
     * caller's to check on {@link #peerCertificates()}. The caller must send EHLO again.
     *
     * <p>When the server refuses STARTTLS with a reply the exception carries it and, unlike every
     * other failure, the connection stays open and usable in plaintext (RFC 3207 section 4).
     */
    public TlsInfo startTls(SSLContext ctx, String sniHost) throws SmtpClientException {
        Reply r = command(Stage.STARTTLS, "STARTTLS", timeouts.command());
        if (r.code() != 220) throw SmtpClientException.rejected(Stage.STARTTLS, r);
        tls = tlsInfo(wire.startTls(ctx, sniHost, timeouts.command())); // the handshake as a whole within the command timeout
        capabilities = Capabilities.NONE;
        return tls;
    }

    /**
     * One mail transaction. Parameters the server did not announce are left out (SIZE, BODY,
     * SMTPUTF8, DSN's RET/ENVID/NOTIFY/ORCPT); the caller decides beforehand whether that is
     * acceptable. With PIPELINING, MAIL, all RCPTs and DATA go in one batch (RFC 2920 section 3.1).
     */
    public TransactionResult send(MailFrom mail, List<RcptTo> rcpts, byte[] content) throws SmtpClientException {
        return send(mail, rcpts, Content.of(content));
    }

    /**
     * Like {@link #send(MailFrom, List, byte[])} with content written as it is sent; SIZE announces
     * {@link Content#size()} unless {@code mail} carries a size of its own. Content that fails with anything but
     * an IOException of the connection is a temporary failure at {@link Stage#DATA}: the connection is closed
     * before the final dot, so the server discards the partial message.
     */
    public TransactionResult send(MailFrom mail, List<RcptTo> rcpts, Content content) throws SmtpClientException {
        if (rcpts.isEmpty()) throw new IllegalArgumentException("a transaction needs at least one recipient");
        transactions++;
        Commands cmd = new Commands(capabilities);
        if (capabilities.pipelining()) return pipelined(cmd, mail, rcpts, content);
        Reply m = command(Stage.MAIL, cmd.mail(mail, content.size()), timeouts.command());
        if (!m.isPositive()) return new TransactionResult(m, List.of(), null);
        List<Reply> rr = new ArrayList<>();
        for (RcptTo r : rcpts) rr.add(command(Stage.RCPT, cmd.rcpt(r), timeouts.command()));
        if (rr.stream().noneMatch(Reply::isPositive)) return new TransactionResult(m, rr, null);
        Reply d = command(Stage.DATA, "DATA", timeouts.dataInitiation());
        if (d.code() != 354) return new TransactionResult(m, rr, refusedData(d));
        return new TransactionResult(m, rr, content(content));
    }

    private TransactionResult pipelined(Commands cmd, MailFrom mail, List<RcptTo> rcpts, Content content)
            throws SmtpClientException {
        StringBuilder batch = new StringBuilder();
        batch.append(cmd.mail(mail, content.size())).append("\r\n");
        for (RcptTo r : rcpts) batch.append(cmd.rcpt(r)).append("\r\n");
        batch.append("DATA\r\n");
        wire.write(Stage.MAIL, batch.toString(), timeouts.command());
        Reply m = wire.read(Stage.MAIL, timeouts.command());
        List<Reply> rr = new ArrayList<>();
        for (int i = 0; i < rcpts.size(); i++) rr.add(wire.read(Stage.RCPT, timeouts.command()));
        Reply d = wire.read(Stage.DATA, timeouts.dataInitiation());
        if (d.code() != 354) return new TransactionResult(m, rr, refusedData(d));
        boolean anyAccepted = m.isPositive() && rr.stream().anyMatch(Reply::isPositive);
        if (!anyAccepted) {
            // RFC 2920 section 3.1: DATA accepted without a recipient; end it with an empty message.
            wire.write(Stage.DATA, ".\r\n", timeouts.dataBlock());
            try {
                endOfData();
            } catch (SmtpClientException odd) {
                // nothing was delivered either way (the connection is aborted): each recipient keeps its own
                // RCPT reply, so a 5xx still bounces or goes to the next host instead of all being deferred
            }
            return new TransactionResult(m, rr, null);
        }
        return new TransactionResult(m, rr, content(content));
    }

    private Reply content(Content content) throws SmtpClientException {
        wire.content(content, timeouts.dataBlock());
        return endOfData();
    }

    /**
     * RFC 5321 sections 4.2 and 4.3.2: DATA is answered 354, or refused with 4xx or 5xx. Any other reply (a 250, say)
     * is no answer we can act on: the content was not sent, so nothing was delivered, yet the server's state is
     * unknown. A temporary failure then, on a connection not to be reused.
     */
    private Reply refusedData(Reply d) throws SmtpClientException {
        if (!d.isPositive()) return d;
        wire.abort();
        throw new SmtpClientException(Stage.DATA, true, d,
                "protocol error from " + remote + ": DATA answered with " + d + " instead of 354", null);
    }

    /** The reply to the final dot: only 2xx means the message was taken; a 3xx is no answer at all. */
    private Reply endOfData() throws SmtpClientException {
        Reply r = wire.read(Stage.DATA, timeouts.dataTermination());
        if (!r.isPositive() || r.code() / 100 == 2) return r;
        wire.abort();
        throw new SmtpClientException(Stage.DATA, true, r,
                "protocol error from " + remote + ": the end of the message answered with " + r, null);
    }

    /** RSET (RFC 5321 section 4.1.1.5): aborts any transaction; used before reusing a connection. */
    public void reset() throws SmtpClientException {
        Reply r = command(Stage.RSET, "RSET", timeouts.command());
        if (r.code() != 250) throw SmtpClientException.rejected(Stage.RSET, r);
    }

    /** QUIT and close (under TLS with close_notify), each of the three steps taking at most {@code wait}; never fails. */
    public void quit(Duration wait) {
        if (!wire.isOpen()) return;
        try {
            wire.write(Stage.QUIT, "QUIT\r\n", wait);
            wire.read(Stage.QUIT, wait);
            wire.closeAfterQuit(wait);
        } catch (SmtpClientException ignored) {
            // the connection goes away either way
        } finally {
            close();
        }
    }

    /** Closes the connection at once, never blocking (see {@link Wire#close}). */
    @Override
    public void close() {
        wire.close();
    }

    public boolean isOpen() { return wire.isOpen(); }
    public Reply greeting() { return greeting; }
    public Capabilities capabilities() { return capabilities; }
    public InetSocketAddress remote() { return remote; }
    /** The TLS state after {@link #startTls}, or null in plaintext. */
    public TlsInfo tls() { return tls; }
    public int transactions() { return transactions; }

    /** The server's certificate chain after TLS (leaf first); empty in plaintext. */
    public List<X509Certificate> peerCertificates() {
        return tls == null ? List.of() : tls.peerCertificates();
    }

    /** A command is written within the timeout of its reply: RFC 5321 has none of its own for it. */
    private Reply command(Stage stage, String line, Duration timeout) throws SmtpClientException {
        wire.write(stage, line + "\r\n", timeout);
        return wire.read(stage, timeout);
    }

    private static TlsInfo tlsInfo(SSLSession session) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) if (c instanceof X509Certificate x) chain.add(x);
        } catch (SSLException ignored) {
            // anonymous cipher: no chain
        }
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), chain);
    }

}
