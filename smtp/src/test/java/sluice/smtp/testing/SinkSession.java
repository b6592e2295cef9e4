package sluice.smtp.testing;

import sluice.smtp.Reply;
import sluice.smtp.TlsInfo;
import sluice.smtp.testing.SmtpSink.Phase;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** One connection to an {@link SmtpSink}: a plain blocking command loop. */
final class SinkSession {

    private static final int TIMEOUT_MS = 30_000;

    private final SmtpSink sink;
    private final int connection;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private TlsInfo tls;
    private String helo;
    private String mailLine;
    private String mailFrom;
    private final List<String> rcpts = new ArrayList<>();
    private final List<String> rcptLines = new ArrayList<>();

    SinkSession(SmtpSink sink, Socket socket, int connection) {
        this.sink = sink;
        this.socket = socket;
        this.connection = connection;
    }

    void run() {
        try {
            socket.setSoTimeout(TIMEOUT_MS);
            streams();
            if (sink.dropAt == Phase.GREETING) return;
            reply(sink.greeting != null ? sink.greeting : Reply.of(220, sink.hostname + " ESMTP sink"));
            if (sink.greeting != null && sink.greeting.code() != 220) return;
            String line;
            while ((line = readLine()) != null) {
                if (!command(line)) return;
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or a test closed the sink
        }
    }

    /** @return false when the session is over */
    private boolean command(String line) throws IOException, InterruptedException {
        String verb = (line.length() >= 4 ? line.substring(0, 4) : line).toUpperCase(Locale.ROOT);
        switch (verb) {
            case "EHLO" -> {
                if (sink.dropAt == Phase.EHLO) return false;
                helo = line.substring(4).trim();
                if (sink.ehloReply != null) { reply(sink.ehloReply); return true; }
                List<String> lines = new ArrayList<>();
                lines.add(sink.hostname);
                for (String e : sink.extensions) if (!(e.equals("STARTTLS") && tls != null)) lines.add(e);
                reply(new Reply(250, null, lines));
            }
            case "HELO" -> { helo = line.substring(4).trim(); reply(Reply.of(250, sink.hostname)); }
            case "STAR" -> { return startTls(); }
            case "MAIL" -> {
                if (sink.dropAt == Phase.MAIL) return false;
                if (sink.mailReply != null && !sink.mailReply.isPositive()) { reply(sink.mailReply); return true; }
                mailLine = line;
                mailFrom = path(line);
                rcpts.clear();
                rcptLines.clear();
                reply(sink.mailReply != null ? sink.mailReply : Reply.of(250, "2.1.0", "Ok"));
            }
            case "RCPT" -> {
                if (sink.dropAt == Phase.RCPT) return false;
                if (mailFrom == null) { reply(Reply.of(503, "5.5.1", "MAIL first")); return true; }
                String to = path(line);
                Reply r = sink.rcptReplies.getOrDefault(to.toLowerCase(Locale.ROOT), Reply.of(250, "2.1.5", "Ok"));
                if (r.isPositive()) { rcpts.add(to); rcptLines.add(line); }
                reply(r);
            }
            case "DATA" -> { return data(); }
            case "RSET" -> { reset(); reply(Reply.of(250, "2.0.0", "Ok")); }
            case "NOOP" -> reply(Reply.of(250, "2.0.0", "Ok"));
            case "QUIT" -> { reply(Reply.of(221, "2.0.0", "Bye")); return false; }
            default -> reply(Reply.of(502, "5.5.2", "Command not recognized"));
        }
        return true;
    }

    private boolean startTls() throws IOException {
        if (sink.dropAt == Phase.STARTTLS) return false;
        if (sink.tlsContext() == null || tls != null) { reply(Reply.of(502, "5.5.1", "STARTTLS not available")); return true; }
        if (sink.startTlsReply != null) { reply(sink.startTlsReply); return true; }
        reply(Reply.of(220, "2.0.0", "Ready to start TLS"));
        SSLSocket s = (SSLSocket) sink.tlsContext().getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        s.setUseClientMode(false);
        s.setWantClientAuth(true);
        s.startHandshake();
        socket = s;
        streams(); // RFC 3207 section 4.2: forget everything said before
        tls = tlsInfo(s.getSession());
        helo = null;
        reset();
        return true;
    }

    private boolean data() throws IOException, InterruptedException {
        if (sink.dropAt == Phase.DATA) return false;
        if (rcpts.isEmpty()) { reply(Reply.of(554, "5.5.1", "No valid recipients")); return true; }
        Reply start = sink.dataCommandReply;
        if (start != null) { reply(start); if (start.code() != 354) { reset(); return true; } }
        else reply(Reply.of(354, "End data with <CR><LF>.<CR><LF>"));
        byte[] content = readContent();
        if (sink.dropAt == Phase.DATA_END) return false;
        var gate = sink.dataGate;
        if (gate != null && !gate.await(TIMEOUT_MS, TimeUnit.MILLISECONDS)) return false;
        Reply r = sink.dataReply != null ? sink.dataReply : Reply.of(250, "2.0.0", "Ok: queued as " + connection);
        if (r.isPositive()) sink.record(new SinkMessage(helo, mailLine, mailFrom, rcpts, rcptLines, content, tls, connection));
        reset();
        reply(r);
        return true;
    }

    private byte[] readContent() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readRawLine();
            if (line == null) throw new IOException("connection closed during DATA");
            if (line.length == 3 && line[0] == '.' && line[1] == '\r') return buf.toByteArray();
            int from = line.length > 0 && line[0] == '.' ? 1 : 0;
            buf.write(line, from, line.length - from);
        }
    }

    private void reset() {
        mailLine = null;
        mailFrom = null;
        rcpts.clear();
        rcptLines.clear();
    }

    private static String path(String line) {
        int lt = line.indexOf('<');
        int gt = line.indexOf('>', lt + 1);
        if (lt < 0 || gt < 0) return line.substring(line.indexOf(':') + 1).trim();
        return line.substring(lt + 1, gt);
    }

    private void reply(Reply r) throws IOException {
        out.write(r.toWire().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private String readLine() throws IOException {
        byte[] raw = readRawLine();
        if (raw == null) return null;
        int len = raw.length;
        while (len > 0 && (raw[len - 1] == '\n' || raw[len - 1] == '\r')) len--;
        return new String(raw, 0, len, StandardCharsets.UTF_8);
    }

    /** One line including its line end, or null at EOF. */
    private byte[] readRawLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            if (b == '\n') return buf.toByteArray();
        }
        return buf.size() == 0 ? null : buf.toByteArray();
    }

    private void streams() throws IOException {
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private static TlsInfo tlsInfo(SSLSession session) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) if (c instanceof X509Certificate x) chain.add(x);
        } catch (SSLPeerUnverifiedException e) {
            // the client presented no certificate
        }
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), chain);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
