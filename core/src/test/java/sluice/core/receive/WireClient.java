package sluice.core.receive;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A line-level SMTP client for receiving-side tests: any source address, STARTTLS with any client identity. */
final class WireClient implements AutoCloseable {

    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    WireClient(String sourceAddress, int port) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(sourceAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        streams();
        expect("220");
        send("EHLO client.test");
    }

    private void streams() throws IOException {
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        out = socket.getOutputStream();
    }

    /** Sends one command and returns the last line of the reply. */
    String send(String line) throws IOException {
        sendOnly(line);
        return reply();
    }

    String reply() throws IOException {
        String l;
        do {
            l = in.readLine();
            if (l == null) throw new IOException("connection closed");
        } while (l.length() > 3 && l.charAt(3) == '-');
        return l;
    }

    void expect(String prefix) throws IOException {
        String r = reply();
        if (!r.startsWith(prefix)) throw new IOException("expected " + prefix + " but got " + r);
    }

    void startTls(SSLContext context) throws IOException {
        String r = send("STARTTLS");
        if (!r.startsWith("220")) throw new IOException("STARTTLS refused: " + r);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "mx.test", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        streams();
        send("EHLO client.test");
    }

    String authPlain(String user, String password) throws IOException {
        return send("AUTH PLAIN " + plain(user, password));
    }

    /** The initial response of AUTH PLAIN (RFC 4616): no authorization identity, then user and password. */
    static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one command without waiting for its reply. */
    void sendOnly(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** DATA with a message; returns the final reply. */
    String data(String message) throws IOException {
        String r = send("DATA");
        if (!r.startsWith("354")) return r;
        out.write((message.replace("\n.", "\n..") + "\r\n.\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
