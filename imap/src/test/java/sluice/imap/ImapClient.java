package sluice.imap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately dumb IMAP client for protocol tests: it writes exactly what it is given and reads
 * response lines strictly (CRLF only), literals included in the line they belong to.
 */
final class ImapClient implements AutoCloseable {

    private Socket socket;
    /** The TCP connection under any TLS. */
    private final Socket tcp;
    private InputStream in;
    private OutputStream out;

    ImapClient(Socket socket) throws IOException {
        this.socket = socket;
        this.tcp = socket;
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static ImapClient connect(int port) throws IOException {
        return new ImapClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Connects from {@code local}, one of the loopback's addresses: another client, as far as the server can tell. */
    static ImapClient connect(InetAddress local, int port) throws IOException {
        return new ImapClient(new Socket(InetAddress.getLoopbackAddress(), port, local, 0));
    }

    static ImapClient connectTls(int port, SSLContext client) throws IOException {
        SSLSocket ssl = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        ssl.startHandshake();
        return new ImapClient(ssl);
    }

    ImapClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.UTF_8));
    }

    ImapClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** One response line without CRLF; a literal {n} at its end is read and appended with what follows. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            if (c == '\n' && b.size() > 0 && b.toByteArray()[b.size() - 1] == '\r') {
                String line = b.toString(StandardCharsets.UTF_8);
                line = line.substring(0, line.length() - 1);
                var m = java.util.regex.Pattern.compile("\\{(\\d+)}$").matcher(line);
                if (!m.find()) return line;
                b.write('\n'); // the CR is in b already
                b.writeBytes(in.readNBytes(Integer.parseInt(m.group(1))));
                continue;
            }
            b.write(c);
        }
    }

    /** Sends {@code tag command} and returns every line up to and including the tagged one. */
    List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command + "\r\n");
        return until(tag);
    }

    List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = line();
            if (l == null) throw new IOException("connection closed; got " + lines);
            lines.add(l);
            if (l.startsWith(tag + " ")) return lines;
        }
    }

    /** STARTTLS and the handshake; the client trusts whatever {@code client} trusts. */
    void startTls(SSLContext client) throws IOException {
        List<String> r = command("tls", "STARTTLS");
        if (!r.getLast().startsWith("tls OK")) throw new IOException("STARTTLS refused: " + r);
        SSLSocket ssl = (SSLSocket) client.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
        ssl.startHandshake();
        socket = ssl;
        socket.setSoTimeout(10_000);
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
    }

    /** Drops the connection with a TCP reset, as a client that crashes or loses its network does: no TLS close_notify. */
    void reset() throws IOException {
        tcp.setSoLinger(true, 0);
        tcp.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
