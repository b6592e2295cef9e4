package sluice.smtp.client;

import sluice.smtp.Reply;
import sluice.smtp.client.SmtpClientException.Stage;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The bytes of one client connection, each step under a deadline kept by a {@link Watchdog}: a whole
 * reply, a command, a block of content, the TLS handshake. Every failure is a {@link SmtpClientException}
 * and leaves the connection closed; a step that ran out of time fails as a timeout, whether the read
 * waited too long for one byte or the watchdog cut a trickle short.
 */
final class Wire {

    /** The message of a {@link SmtpClientException} whose cause is the content's own failure, not the peer's. */
    static final String CONTENT_FAILED = "the message content could not be produced";

    private final InetSocketAddress remote;
    /** The TCP connection, under any TLS: closing it never blocks, whatever the thread using it does. */
    private final Socket tcp;
    private final Watchdog dog;
    /** {@link #tcp}, or the TLS socket over it. */
    private Socket socket;
    private ReplyReader in;
    private OutputStream out;

    private Wire(InetSocketAddress remote, Socket tcp) throws SmtpClientException {
        this.remote = remote;
        this.tcp = tcp;
        this.dog = new Watchdog(tcp);
        this.socket = tcp;
        bindStreams(Stage.CONNECT);
    }

    static Wire connect(InetSocketAddress remote, Duration timeout) throws SmtpClientException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(remote, millis(timeout));
        } catch (IOException e) {
            Watchdog.abort(s);
            throw SmtpClientException.io(Stage.CONNECT, "cannot connect to " + remote, e);
        }
        return new Wire(remote, s);
    }

    /** The TLS handshake over the TCP connection, sending {@code sniHost} as SNI when it is a host name. */
    SSLSession startTls(SSLContext ctx, String sniHost, Duration timeout) throws SmtpClientException {
        SSLSocket s;
        try {
            String peer = sniHost != null ? sniHost : remote.getHostString();
            s = (SSLSocket) ctx.getSocketFactory().createSocket(tcp, peer, remote.getPort(), true);
            s.setUseClientMode(true);
            SSLParameters p = s.getSSLParameters();
            TlsContexts.pinProtocols(p);
            if (sniHost != null && isHostName(sniHost)) p.setServerNames(List.of(new SNIHostName(sniHost)));
            s.setSSLParameters(p);
            s.setSoTimeout(millis(timeout));
            dog.arm(timeout);
            s.startHandshake();
        } catch (IOException e) {
            abort();
            if (timedOut(e)) throw new SmtpClientException(Stage.STARTTLS, true, null,
                    "TLS handshake with " + remote + " did not complete within " + timeout, e);
            throw SmtpClientException.io(Stage.STARTTLS, "TLS handshake with " + remote + " failed", e);
        } finally {
            if (!dog.disarm()) Watchdog.abort(tcp); // fired as the step ended: closed now, not when its abort runs
        }
        socket = s;
        bindStreams(Stage.STARTTLS);
        return s.getSession();
    }

    /** The whole reply within {@code timeout}; SO_TIMEOUT alone bounds only the wait for each byte. */
    Reply read(Stage stage, Duration timeout) throws SmtpClientException {
        try {
            socket.setSoTimeout(millis(timeout));
            dog.arm(timeout);
            return in.read();
        } catch (ReplyReader.ProtocolException e) {
            abort();
            throw new SmtpClientException(stage, true, null, "protocol error from " + remote + ": " + e.getMessage(), e);
        } catch (IOException e) {
            abort();
            if (timedOut(e)) throw new SmtpClientException(stage, true, null, "no reply from " + remote + " within " + timeout, e);
            throw SmtpClientException.io(stage, "reading from " + remote + " failed", e);
        } finally {
            if (!dog.disarm()) Watchdog.abort(tcp); // fired as the step ended: closed now, not when its abort runs
        }
    }

    /** Commands, taken by the peer within {@code timeout}. */
    void write(Stage stage, String s, Duration timeout) throws SmtpClientException {
        try {
            dog.arm(timeout);
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            abort();
            if (timedOut(e)) throw new SmtpClientException(stage, true, null,
                    remote + " took no command for " + timeout + " (it stopped reading)", e);
            throw SmtpClientException.io(stage, "writing to " + remote + " failed", e);
        } finally {
            if (!dog.disarm()) Watchdog.abort(tcp); // fired as the step ended: closed now, not when its abort runs
        }
    }

    /** Message content and its final dot, each block taken within {@code block} (RFC 5321 section 4.5.3.2.5). */
    void content(Content content, Duration block) throws SmtpClientException {
        try {
            dog.arm(block);
            DotStuffer.write(content, out, () -> dog.arm(block));
            out.flush();
        } catch (Error e) {
            abort(); // cut short as below: left open, the next command (RSET) would go into the DATA stream
            throw e;
        } catch (RuntimeException e) {
            // the content failed, not the peer: the message is cut short, so no final dot may follow. The message is
            // fixed (a failure's text may name spool files or state of the node); the caller logs the cause.
            abort();
            throw new SmtpClientException(Stage.DATA, true, null, CONTENT_FAILED, e);
        } catch (IOException e) {
            abort();
            if (timedOut(e)) throw new SmtpClientException(Stage.DATA, true, null,
                    remote + " took no message content for " + block + " (it stopped reading)", e);
            throw SmtpClientException.io(Stage.DATA, "sending message content to " + remote + " failed", e);
        } finally {
            if (!dog.disarm()) Watchdog.abort(tcp); // fired as the step ended: closed now, not when its abort runs
        }
    }

    /**
     * After the peer answered QUIT: under TLS, sends close_notify (RFC 8446 section 6.1) within {@code wait}, so the
     * peer sees an orderly end rather than a truncated TLS stream (OpenSSL-based servers log one as an error);
     * then closes the TCP connection, without waiting for the peer's own close_notify. A peer that takes nothing
     * within {@code wait} has its connection aborted.
     */
    void closeAfterQuit(Duration wait) {
        if (socket != tcp && !tcp.isClosed()) {
            try {
                socket.setSoTimeout(millis(wait));
                dog.arm(wait);
                socket.shutdownOutput(); // close_notify, without waiting for the peer's own (close() may wait for it)
            } catch (IOException ignored) {
                // the peer went first: nothing more to say
            } finally {
                if (!dog.disarm()) Watchdog.abort(tcp);
            }
        }
        close();
    }

    /**
     * Closes the TCP connection, never blocking. Under TLS no close_notify is sent: writing it could block on a
     * peer that stopped reading (after QUIT, {@link #closeAfterQuit} sends it within a deadline).
     */
    void close() {
        dog.disarm();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    /** After a failure: the peer may have stopped reading, and what we still had to send is discarded. */
    void abort() {
        dog.disarm();
        Watchdog.abort(tcp);
    }

    boolean isOpen() {
        return !tcp.isClosed();
    }

    /** A failure is a timeout when a read waited too long for a byte, or the watchdog closed the connection. */
    private boolean timedOut(IOException e) {
        return e instanceof SocketTimeoutException || dog.fired();
    }

    private void bindStreams(Stage stage) throws SmtpClientException {
        try {
            in = new ReplyReader(new BufferedInputStream(socket.getInputStream()));
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        } catch (IOException e) {
            abort();
            throw SmtpClientException.io(stage, "connection to " + remote + " unusable", e);
        }
    }

    private static boolean isHostName(String s) {
        return s.indexOf(':') < 0 && !s.matches("[0-9.]+") && s.indexOf('.') > 0;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }
}
