package sluice.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.smtp.server.WriteDeadline;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The socket to one IMAP client: the TLS upgrade, the command reader over it, and the buffered
 * responses, each write bounded by the write deadline.
 */
final class ClientConnection {

    /** The session's logger: operators filter on its name. */
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final ImapServerConfig config;
    private final MessageBuffers buffers;
    private final String clientIp;
    private Socket socket;
    /** The TCP socket as accepted, under any TLS: what the deadlines shut or close without writing to TLS. */
    private final Socket tcp;
    private OutputStream out;
    private CommandReader reader;
    private boolean tls;

    ClientConnection(Socket socket, ImapServerConfig config, MessageBuffers buffers, String clientIp) {
        this.socket = socket;
        this.tcp = socket;
        this.config = config;
        this.buffers = buffers;
        this.clientIp = clientIp;
    }

    /** The TCP socket as accepted. */
    Socket tcp() {
        return tcp;
    }

    boolean tls() {
        return tls;
    }

    CommandReader reader() {
        return reader;
    }

    void soTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Wraps the socket in TLS; anything the client sent in plaintext after STARTTLS is dropped (RFC 9051 section 11.1). */
    void upgrade(SSLContext context, int literalLimit) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, clientIp, socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(Arrays.stream(ssl.getSupportedProtocols()).filter(PROTOCOLS::contains).toArray(String[]::new));
        ssl.setSoTimeout(socket.getSoTimeout());
        ssl.startHandshake();
        socket = ssl;
        tls = true;
        streams(literalLimit);
    }

    /** Opens the reader and the response stream over the current socket. */
    void streams(int literalLimit) throws IOException {
        out = new BufferedOutputStream(new WriteDeadline(socket.getOutputStream(), config.writeTimeout(), this::writeTimedOut), 16_384);
        reader = new CommandReader(new BufferedInputStream(socket.getInputStream(), 16_384), out, buffers, config.maxLine(), literalLimit, tls);
    }

    /**
     * On the write deadline's thread: the client stopped reading. Closes the TCP socket itself (closing
     * TLS would try to write once more); the blocked write fails and the session ends.
     */
    private void writeTimedOut() {
        LOG.info("imap session from {} closed: the client read no response for {} seconds", clientIp, config.writeTimeout().toSeconds());
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** True once there is a stream to answer on. */
    boolean canWrite() {
        return out != null;
    }

    void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    /** The buffered stream to the client, for responses that write literal data straight through. */
    OutputStream output() {
        return out;
    }

    void flush() throws IOException {
        out.flush();
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
