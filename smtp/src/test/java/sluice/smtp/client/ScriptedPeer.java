package sluice.smtp.client;

import sluice.smtp.testing.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A misbehaving server for tests: each connection it accepts follows a script written against the
 * raw socket, byte by byte where it matters (a server that trickles, or stops reading). Its receive
 * buffer is small, so a client writing to it fills the path quickly once it stops reading.
 */
final class ScriptedPeer implements AutoCloseable {

    /** What the server does on one connection; it may return (the connection stays open until close). */
    interface Script {
        void run(Session s) throws Exception;
    }

    private static final SSLContext TLS = TestCertificates.selfSigned("mx.y.test", "mx.y.test").sslContext();

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private ScriptedPeer(Script script) throws IOException {
        server = new ServerSocket();
        server.setReceiveBufferSize(4096); // inherited by accepted sockets; must be set before bind
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.21"), 0), 10);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    held.add(s);
                    Thread.ofVirtual().start(() -> {
                        try {
                            script.run(new Session(s));
                        } catch (Exception ignored) {
                            // the client went away, or close(): the test looks at the client's side
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    static ScriptedPeer start(Script script) throws IOException {
        return new ScriptedPeer(script);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) s.close();
    }

    /** One connection as the script sees it; after {@link #startTls} it reads and writes TLS. */
    static final class Session {
        private final Socket tcp;
        private Socket socket;

        Session(Socket socket) {
            this.tcp = socket;
            this.socket = socket;
        }

        void send(String s) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends {@code s} one byte every {@code gap}. */
        void trickle(String s, Duration gap) throws IOException, InterruptedException {
            for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
                Thread.sleep(gap);
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
            }
        }

        /** Reads one command line (without CRLF), byte by byte so nothing past it is consumed. */
        String line() throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) throw new IOException("client closed the connection");
                if (b != '\r') buf.write(b);
            }
            return buf.toString(StandardCharsets.US_ASCII);
        }

        /** The 220 greeting, then the EHLO reply announcing {@code extensions}. */
        void greet(String... extensions) throws IOException {
            send("220 mx.y.test ESMTP\r\n");
            StringBuilder ehlo = new StringBuilder("250" + (extensions.length == 0 ? " " : "-") + "mx.y.test\r\n");
            for (int i = 0; i < extensions.length; i++) {
                ehlo.append("250").append(i == extensions.length - 1 ? " " : "-").append(extensions[i]).append("\r\n");
            }
            answer(1, ehlo.toString());
        }

        /** Replies to {@code n} commands with {@code reply} each. */
        void answer(int n, String reply) throws IOException {
            for (int i = 0; i < n; i++) {
                line();
                send(reply);
            }
        }

        /** The server side of a TLS handshake over this connection (after its 220 to STARTTLS). */
        void startTls() throws IOException {
            SSLSocket t = (SSLSocket) TLS.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            t.setUseClientMode(false);
            t.startHandshake();
            socket = t;
        }

        /**
         * The octets the client still sends on the TCP connection under TLS before it closes it: a close_notify
         * alert is a TLS record (more than 0 octets); a connection cut without one ends at once (0).
         */
        int octetsBeforeTcpEnd() throws IOException {
            InputStream raw = tcp.getInputStream();
            int n = 0;
            while (raw.read() >= 0) n++;
            return n;
        }

        /** Reads nothing more, and keeps the connection open until the peer is closed. */
        void stopReading() throws InterruptedException {
            Thread.sleep(Duration.ofMinutes(5));
        }
    }
}
