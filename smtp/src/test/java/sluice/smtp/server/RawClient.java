package sluice.smtp.server;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A deliberately dumb SMTP client for protocol tests: it writes exactly the octets it is given (ISO
 * 8859-1, so "\0", bare "\r" and "\n" go out as they are) and reads replies strictly (CRLF only).
 */
final class RawClient implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static RawClient connect(int port) throws IOException {
        return new RawClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    static RawClient connect(InetAddress local, int port) throws IOException {
        return new RawClient(new Socket(InetAddress.getLoopbackAddress(), port, local, 0));
    }

    /** Connects and reads the greeting, which must be a 220. */
    static RawClient greeted(int port) throws IOException {
        RawClient c = connect(port);
        assertThat(c.reply()).startsWith("220 ");
        return c;
    }

    /** Writes the text as it is, in one write (one TCP segment on loopback for small writes). */
    RawClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Sends a command line (CRLF appended) and returns the last line of its reply. */
    String cmd(String line) throws IOException {
        send(line + "\r\n");
        return reply();
    }

    /** Sends a command line and returns every line of its reply. */
    List<String> replyLinesOf(String line) throws IOException {
        send(line + "\r\n");
        return replyLines();
    }

    /** Sends a line in UTF-8 (for SMTPUTF8 tests). */
    String cmdUtf8(String line) throws IOException {
        send((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        return reply();
    }

    /** The last line of the next reply, e.g. "250 2.0.0 OK". */
    String reply() throws IOException {
        List<String> lines = replyLines();
        return lines.getLast();
    }

    /** All lines of the next reply. */
    List<String> replyLines() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) fail("connection closed while waiting for a reply; got " + lines);
            assertThat(line).matches("[2-5]\\d\\d[ -].*");
            lines.add(line);
            if (line.charAt(3) == ' ') return lines;
        }
    }

    /** Plays a whole transaction up to the end of DATA and returns the final reply. */
    String mail(String from, String to, String message) throws IOException {
        assertThat(cmd("MAIL FROM:<" + from + ">")).startsWith("250 ");
        assertThat(cmd("RCPT TO:<" + to + ">")).startsWith("250 ");
        assertThat(cmd("DATA")).startsWith("354 ");
        send(message);
        return reply();
    }

    /** Sends a whole transaction including the content, reading only the replies before the content. */
    void mailWithoutWaiting(String from, String to, String message) throws IOException {
        assertThat(cmd("MAIL FROM:<" + from + ">")).startsWith("250 ");
        assertThat(cmd("RCPT TO:<" + to + ">")).startsWith("250 ");
        assertThat(cmd("DATA")).startsWith("354 ");
        send(message);
    }

    /** Runs the client side of the handshake on this connection, optionally limited to some protocol versions. */
    SSLSocket startTls(SSLContext context, String... protocols) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        ssl.setUseClientMode(true);
        if (protocols.length > 0) ssl.setEnabledProtocols(protocols);
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
        return ssl;
    }

    /** Asserts that the server closed the connection without sending anything more. */
    void assertClosed() throws IOException {
        try {
            int b = in.read();
            assertThat(b).as("expected the server to close the connection").isEqualTo(-1);
        } catch (SocketException reset) {
            // closed with a reset: also closed
        } catch (SocketTimeoutException e) {
            fail("server did not close the connection");
        }
    }

    /** Asserts that the server closes the connection after sending at most {@code octets} more octets. */
    void assertClosedAfterAtMost(int octets) throws IOException {
        for (int i = 0; i <= octets; i++) {
            int b;
            try {
                b = in.read();
            } catch (SocketException reset) {
                return;
            }
            if (b < 0) return;
        }
        fail("server kept sending instead of closing");
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (SocketException reset) {
                b = -1;
            }
            if (b < 0) return line.size() == 0 ? null : fail("partial line " + line);
            if (b == '\n') {
                assertThat(prev).as("server line end must be CRLF").isEqualTo('\r');
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            prev = b;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
