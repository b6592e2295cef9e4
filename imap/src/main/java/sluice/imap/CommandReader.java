package sluice.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one command from the wire: its line, and for each literal announced at a line's end
 * ({@code {n}} synchronizing, {@code {n+}} LITERAL+, RFC 7888) the literal's bytes and the rest of
 * the command. Literals appear in {@link Command#text()} as a NUL placeholder; a NUL from the client
 * is refused, so the two cannot be confused. Lines and literals are capped: a line past the cap is
 * discarded to its end and refused, a synchronizing literal past the cap is refused before the
 * client sends it, and a non-synchronizing one past the cap ends the session (its bytes are already
 * on their way and cannot be told from commands).
 *
 * <p>A read timeout leaves a partly read line in this reader, so IDLE can poll between reads.
 */
final class CommandReader {

    static final char LITERAL = '\0';
    private static final Pattern LITERAL_AT_END = Pattern.compile("\\{(\\d{1,10})(\\+?)}$");

    /** A command as read: text with literal placeholders, and the literals in order. */
    record Command(String text, List<byte[]> literals) {
    }

    /** The client broke the framing in a way that cannot be recovered: say BYE and close. */
    static final class FatalInput extends IOException {
        FatalInput(String message) {
            super(message);
        }
    }

    /** A command too long or otherwise refused before it was complete; the rest of it was discarded. */
    static final class Refused extends IOException {
        final String tag;

        Refused(String tag, String message) {
            super(message);
            this.tag = tag;
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final int maxLine;
    private final int maxLiteral;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean discarding;

    CommandReader(InputStream in, OutputStream out, int maxLine, int maxLiteral) {
        this.in = in;
        this.out = out;
        this.maxLine = maxLine;
        this.maxLiteral = maxLiteral;
    }

    /** The next command, or null at end of stream. */
    Command read() throws IOException {
        StringBuilder text = new StringBuilder();
        List<byte[]> literals = new ArrayList<>();
        int total = 0;
        while (true) {
            String part = readLine();
            if (part == null) return null;
            if (part.indexOf(LITERAL) >= 0) throw new Refused(tagOf(text + part), "NUL is not allowed in commands");
            text.append(part);
            Matcher m = LITERAL_AT_END.matcher(part);
            if (!m.find()) return new Command(text.toString(), literals);
            long size = Long.parseLong(m.group(1));
            boolean sync = m.group(2).isEmpty();
            total += (int) Math.min(size, Integer.MAX_VALUE);
            if (size > maxLiteral || total > maxLiteral) {
                if (!sync) throw new FatalInput("literal of " + size + " octets is over the limit of " + maxLiteral);
                throw new Refused(tagOf(text.toString()), "[TOOBIG] literal of " + size + " octets is over the limit of " + maxLiteral);
            }
            text.setLength(text.length() - m.group().length());
            text.append(LITERAL);
            if (sync) {
                out.write("+ Ready for literal data\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            literals.add(in.readNBytes((int) size));
            if (literals.getLast().length < size) return null;
        }
    }

    /** A line without its CRLF, or null at end of stream; survives a read timeout with the partial line kept. */
    String readLine() throws IOException {
        while (true) {
            int b = in.read();
            if (b < 0) return null;
            if (b == '\n') {
                if (discarding) {
                    discarding = false;
                    String start = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    throw new Refused(tagOf(start), "line is longer than " + maxLine + " octets");
                }
                byte[] bytes = line.toByteArray();
                line.reset();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            if (discarding) continue;
            if (line.size() >= maxLine) {
                discarding = true; // keep what we have: the tag for the refusal
                continue;
            }
            line.write(b);
        }
    }

    /** The tag of a (possibly partial) command, or "*" when it has none that could be echoed. */
    static String tagOf(String text) {
        int sp = text.indexOf(' ');
        String tag = sp < 0 ? text : text.substring(0, sp);
        return Args.isTag(tag) ? tag : "*";
    }
}
