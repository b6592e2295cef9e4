package sluice.smtp.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.smtp.Reply;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads replies (RFC 5321 section 4.2), single or multi-line, and splits off the enhanced status
 * code (RFC 2034) when the first line carries one of the reply's class. Lenient about a bare LF as
 * line end (the server's problem, not worth failing a delivery for); strict about the code.
 *
 * <p>What a peer sent that is no reply never goes into an exception's message: that text reaches delivery
 * traces and notices to senders, and a peer that is no SMTP server (an SSH daemon, a database) must not have
 * its banner shown there. The raw line is logged at DEBUG only.
 */
final class ReplyReader {

    private static final Logger log = LoggerFactory.getLogger(ReplyReader.class);

    private static final int MAX_LINE = 4096;   // RFC 5321 allows 512; real servers exceed it
    private static final int MAX_LINES = 200;
    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.\\d{1,3}\\.\\d{1,3})(?: |$)");

    private final InputStream in;

    ReplyReader(InputStream in) {
        this.in = in;
    }

    /** @throws ProtocolException when the reply is malformed; IOException on I/O failure or EOF */
    Reply read() throws IOException {
        List<String> texts = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || !isDigits(line.substring(0, 3)))
                throw malformed("malformed reply line", line);
            int c = Integer.parseInt(line.substring(0, 3));
            if (c < 200 || c > 599) throw malformed("reply code out of range", line);
            if (code != -1 && c != code) throw malformed("reply code changed within a multi-line reply", line);
            code = c;
            char sep = line.length() > 3 ? line.charAt(3) : ' ';
            if (sep != ' ' && sep != '-') throw malformed("malformed reply line", line);
            texts.add(line.length() > 4 ? line.substring(4) : "");
            if (sep == ' ') break;
            if (texts.size() > MAX_LINES) throw new ProtocolException("reply longer than " + MAX_LINES + " lines");
        }
        return toReply(code, texts);
    }

    static Reply toReply(int code, List<String> texts) {
        Matcher m = ENHANCED.matcher(texts.getFirst());
        if (!m.find() || m.group(1).charAt(0) - '0' != code / 100) return new Reply(code, null, texts);
        String enhanced = m.group(1);
        List<String> stripped = new ArrayList<>(texts.size());
        for (String t : texts) {
            if (t.startsWith(enhanced + " ")) stripped.add(t.substring(enhanced.length() + 1));
            else if (t.equals(enhanced)) stripped.add("");
            else stripped.add(t);
        }
        return new Reply(code, enhanced, stripped);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed by server");
            if (b == '\n') break;
            if (buf.size() >= MAX_LINE) throw new ProtocolException("reply line longer than " + MAX_LINE + " octets");
            buf.write(b);
        }
        byte[] bytes = buf.toByteArray();
        int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        String s = new String(bytes, 0, len, StandardCharsets.UTF_8);
        return s.replace('\r', ' ');
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    /** The error, without the line; the line (abbreviated) in the DEBUG log only. */
    private static ProtocolException malformed(String what, String line) {
        log.debug("{}: {}", what, line.length() > 200 ? line.substring(0, 200) + "..." : line);
        return new ProtocolException(what);
    }

    /** The server broke the reply syntax. */
    static final class ProtocolException extends IOException {
        ProtocolException(String message) { super(message); }
    }
}
