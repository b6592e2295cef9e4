package sluice.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import sluice.smtp.testing.TestCertificates;

/**
 * A tiny SMTP client for end-to-end scenarios: sends exactly the command lines it is given and reads
 * replies strictly (CRLF lines, multi-line replies joined). {@link #cmd} returns the last reply line
 * ("250 2.1.5 Recipient OK"), which is what the scenarios assert on.
 */
final class SmtpTalk implements AutoCloseable {

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String greeting;

    private SmtpTalk(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        greeting = reply();
    }

    static SmtpTalk connect(String host, int port) throws IOException {
        return connect(host, port, null);
    }

    /** Connects from {@code source} (e.g. "127.0.0.9"; null: the system's choice), as a server with that address would. */
    static SmtpTalk connect(String host, int port, String source) throws IOException {
        Socket s = new Socket();
        if (source != null) s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 5_000);
        return new SmtpTalk(s);
    }

    /**
     * STARTTLS; on 220 the handshake runs with {@code ctx} (which decides the client certificate, if
     * any). Returns the reply to STARTTLS. The caller sends EHLO again (RFC 3207 section 4.2).
     */
    String startTls(SSLContext ctx) throws IOException {
        String r = cmd("STARTTLS");
        if (!r.startsWith("220")) return r;
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        socket = ssl;
        in = new BufferedInputStream(ssl.getInputStream());
        out = ssl.getOutputStream();
        return r;
    }

    /** STARTTLS without a client certificate, then EHLO again; fails unless both succeed. */
    void startTlsAndEhlo(String helo) throws IOException {
        String r = startTls(clientContext(null));
        if (!r.startsWith("220")) throw new IOException("STARTTLS refused: " + r);
        String e = ehlo(helo);
        if (!e.startsWith("250")) throw new IOException("EHLO after STARTTLS refused: " + e);
    }

    /** AUTH PLAIN with an initial response (RFC 4616); returns the reply. */
    String authPlain(String user, String password) throws IOException {
        String token = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        return cmd("AUTH PLAIN " + token);
    }

    /**
     * A client context that accepts any server certificate (the scenarios check the server's
     * identity elsewhere) and presents {@code identity} as the client certificate when not null.
     */
    static SSLContext clientContext(TestCertificates.Identity identity) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(identity == null ? null : identity.keyManagers(), new TrustManager[]{new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String greeting() {
        return greeting;
    }

    /** Sends one command line and returns the last line of the reply. */
    String cmd(String line) throws IOException {
        write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return reply();
    }

    /** EHLO, asserting nothing: returns the last reply line. */
    String ehlo(String name) throws IOException {
        return cmd("EHLO " + name);
    }

    /**
     * DATA with {@code content} (CRLF line ends, no final dot; dot-stuffed here); returns the reply to
     * the final dot, or the reply to DATA itself when that is not 354.
     */
    String data(byte[] content) throws IOException {
        String go = cmd("DATA");
        if (!go.startsWith("354")) return go;
        write(dotStuffed(content));
        write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        return reply();
    }

    /** One whole transaction; returns the reply to the final dot, or the first negative reply. */
    String send(String from, List<String> to, byte[] content) throws IOException {
        String r = cmd("MAIL FROM:<" + from + ">");
        if (!r.startsWith("250")) return r;
        boolean any = false;
        for (String t : to) any |= cmd("RCPT TO:<" + t + ">").startsWith("250");
        if (!any) {
            cmd("RSET");
            return "no recipient accepted";
        }
        return data(content);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one reply (all its lines) and returns its last line. */
    String reply() throws IOException {
        List<String> lines = replyLines();
        return lines.getLast();
    }

    List<String> replyLines() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') return lines;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed by the server" + (b.size() > 0 ? " after " + b : ""));
            if (prev == '\r' && c == '\n') {
                byte[] raw = b.toByteArray();
                return new String(raw, 0, raw.length - 1, StandardCharsets.UTF_8);
            }
            b.write(c);
            prev = c;
        }
    }

    static byte[] dotStuffed(byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(content.length + 16);
        boolean lineStart = true;
        for (int i = 0; i < content.length; i++) {
            byte c = content[i];
            if (lineStart && c == '.') b.write('.');
            b.write(c);
            lineStart = c == '\n' && i > 0 && content[i - 1] == '\r';
        }
        if (content.length > 0 && !lineStart) b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** QUIT politely, then close. */
    void quit() {
        try {
            cmd("QUIT");
        } catch (IOException ignored) {
            // the server may already be gone
        }
        close();
    }
}
