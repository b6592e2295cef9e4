package sluice.imap;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
 * is refused, so the two cannot be confused. A whole command is capped: its lines together at
 * {@code maxLine} octets, its literals together at {@code maxLiteral} octets, and at most
 * {@link #MAX_LITERALS} literals. A line past the cap is discarded to its end and refused, a
 * synchronizing literal past a cap is refused before the client sends it (one past the count with
 * {@code NO [LIMIT]}: the command is valid, only more than we take), and a non-synchronizing
 * one past a cap ends the session (its bytes are already on their way and cannot be told from
 * commands); so does a line refused for its length or a NUL that ended announcing one. Before TLS, a
 * synchronizing literal on a LOGIN or AUTHENTICATE line is answered {@code NO [PRIVACYREQUIRED]}
 * instead of "+": asked for, the client would send its password in the clear only to be refused.
 *
 * <p>APPEND carries a message, so once {@link #appendLimit} is set its literals may each be as large
 * as that limit (RFC 7889 APPENDLIMIT): a synchronizing one announced larger is answered {@code NO
 * [TOOBIG]} instead of "+", before a byte of it is sent. Each message literal also needs room in the
 * node's buffer budget ({@link MessageBuffers}) before it is read: without it a synchronizing one is
 * answered {@code NO [LIMIT]} instead of "+", and a non-synchronizing one (already on its way) is read
 * past without being kept and the command answered {@code NO [LIMIT]} at its end.
 *
 * <p>A read timeout leaves a partly read line in this reader, so IDLE can poll between reads.
 */
final class CommandReader {

    static final char LITERAL = '\0';
    /** The most literals one command may carry. */
    static final int MAX_LITERALS = 100;
    private static final Pattern LITERAL_AT_END = Pattern.compile("\\{(\\d{1,10})(\\+?)}$");
    private static final Pattern APPEND = Pattern.compile("^\\S+ APPEND ", Pattern.CASE_INSENSITIVE);
    private static final Pattern PASSWORD_COMMAND = Pattern.compile("^\\S+ (LOGIN|AUTHENTICATE)( |$)", Pattern.CASE_INSENSITIVE);
    /** Long enough for the end of a discarded line to show a literal announcement, {4294967295+} and CR. */
    private static final int TAIL = 16;

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
        /** BAD, or NO for a message APPEND may not store. */
        final String status;

        Refused(String tag, String message) {
            this(tag, "BAD", message);
        }

        Refused(String tag, String status, String message) {
            super(message);
            this.tag = tag;
            this.status = status;
        }
    }

    /** Stands for a message literal that was read past, not kept, for want of room in the budget. */
    private static final byte[] NOT_KEPT = new byte[0];

    private final InputStream in;
    private final OutputStream out;
    private final MessageBuffers buffers;
    private final int maxLine;
    /** False before TLS: then no synchronizing literal of LOGIN or AUTHENTICATE is asked for. */
    private final boolean tls;
    private int maxLiteral;
    private int appendLimit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean discarding;
    /** The last octets of the line being discarded: whether it ended announcing a literal. */
    private final StringBuilder discardedTail = new StringBuilder(TAIL + 1);
    private int lastLineOctets;

    CommandReader(InputStream in, OutputStream out, MessageBuffers buffers, int maxLine, int maxLiteral, boolean tls) {
        this.in = in;
        this.tls = tls;
        this.out = out;
        this.buffers = buffers;
        this.maxLine = maxLine;
        this.maxLiteral = maxLiteral;
    }

    /** The next command, or null at end of stream. */
    Command read() throws IOException {
        StringBuilder text = new StringBuilder();
        List<byte[]> literals = new ArrayList<>();
        long lineOctets = 0;
        long literalOctets = 0;
        long notKept = -1;
        while (true) {
            String part = readLine();
            if (part == null) return null;
            if (part.indexOf(LITERAL) >= 0) {
                if (announcesLiteralPlus(part)) throw new FatalInput("NUL is not allowed in commands, and the literal announced after it cannot be told from commands");
                throw new Refused(tagOf(text + part), "NUL is not allowed in commands");
            }
            Matcher m = LITERAL_AT_END.matcher(part);
            boolean more = m.find();
            boolean sync = more && m.group(2).isEmpty();
            // Lines are capped together, not one by one: zero-length literals must not chain lines without end.
            lineOctets += lastLineOctets;
            if (lineOctets > maxLine) refuse(text, more && !sync, "command is longer than " + maxLine + " octets");
            text.append(part);
            if (!more && notKept >= 0) throw new Refused(tagOf(text.toString()), "NO", noRoom(notKept));
            if (!more) return new Command(text.toString(), literals);
            if (literals.size() >= MAX_LITERALS) {
                // A well-formed command past a limit of ours, not a protocol error of the client: NO [LIMIT]
                // (RFC 9051 section 7.1, from RFC 5530), not BAD, which says the client's command is wrong.
                // Synchronizing, the literal is not sent before our "+", so the session goes on; a LITERAL+ one
                // is on its way already and cannot be told from commands, so the session ends (RFC 7888 section 4
                // leaves a server that will not take such a literal the choice of closing the connection).
                String why = "[LIMIT] too many literals in one command (at most " + MAX_LITERALS + ")";
                if (!sync) throw new FatalInput(why);
                throw new Refused(tagOf(text.toString()), "NO", why);
            }
            long size = Long.parseLong(m.group(1));
            literalOctets += size;
            boolean append = appendLimit > 0 && APPEND.matcher(text).find();
            if (append && size > appendLimit) {
                String why = "[TOOBIG] The message of " + size + " octets is larger than the limit of " + appendLimit;
                if (!sync) throw new FatalInput(why);
                throw new Refused(tagOf(text.toString()), "NO", why);
            }
            if (literalOctets > maxLiteral + (append ? (long) appendLimit : 0)) {
                refuse(text, !sync, (sync ? "[TOOBIG] " : "") + "literal of " + size + " octets is over the limit of " + maxLiteral);
            }
            if (sync && !tls && PASSWORD_COMMAND.matcher(text).find()) {
                // Asked for with "+", the literal would be the password in the clear, only to be refused after it
                throw new Refused(tagOf(text.toString()), "NO", "[PRIVACYREQUIRED] LOGIN is disabled until STARTTLS: no passwords without TLS");
            }
            text.setLength(text.length() - m.group().length());
            text.append(LITERAL);
            byte[] literal = literal(tagOf(text.toString()), (int) size, sync, append);
            if (literal == null) return null;
            if (literal == NOT_KEPT) notKept = size;
            literals.add(literal);
        }
    }

    /**
     * The octets of a literal the caps allow; null at end of stream. A message literal first takes its
     * room in the budget: a synchronizing one without room is refused before the client sends it, a
     * non-synchronizing one is read past and {@link #NOT_KEPT}.
     */
    private byte[] literal(String tag, int size, boolean sync, boolean message) throws IOException {
        if (message && !buffers.take(size)) {
            if (sync) throw new Refused(tag, "NO", noRoom(size));
            try {
                in.skipNBytes(size);
            } catch (EOFException e) {
                return null;
            }
            return NOT_KEPT;
        }
        if (sync) {
            out.write("+ Ready for literal data\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        byte[] literal = new byte[size]; // exactly what the budget granted, not grown (and copied) as it arrives
        return in.readNBytes(literal, 0, size) < size ? null : literal;
    }

    /** RFC 5530 LIMIT: a server-imposed limit refused it; here one that frees up as others' messages are stored. */
    private static String noRoom(long size) {
        return "[LIMIT] No room now for a message of " + size + " octets: too many messages are arriving at once; try again later";
    }

    /**
     * Refuses the command being read. After a synchronizing literal's announcement, or at the end of
     * the command, the client waits for us, so BAD and on; a non-synchronizing literal is already on
     * its way and cannot be told from commands, so the session ends.
     */
    private static void refuse(StringBuilder text, boolean literalOnItsWay, String message) throws IOException {
        if (literalOnItsWay) throw new FatalInput(message);
        throw new Refused(tagOf(text.toString()), message);
    }

    /** Sets the most literal octets one command may carry: small before login (RFC 7888 LITERAL-), larger after. */
    void literalLimit(int octets) {
        this.maxLiteral = octets;
    }

    /** Lets APPEND literals (the messages) each be as large as {@code octets}; 0 until login. */
    void appendLimit(int octets) {
        this.appendLimit = octets;
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
                    boolean literalOnItsWay = announcesLiteralPlus(discardedTail.toString());
                    discardedTail.setLength(0);
                    if (literalOnItsWay) throw new FatalInput("line is longer than " + maxLine + " octets, and the literal it announced cannot be told from commands");
                    throw new Refused(tagOf(start), "line is longer than " + maxLine + " octets");
                }
                byte[] bytes = line.toByteArray();
                line.reset();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                lastLineOctets = n;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            if (discarding) {
                discardedTail.append((char) b);
                if (discardedTail.length() > TAIL) discardedTail.deleteCharAt(0);
                continue;
            }
            if (line.size() >= maxLine) {
                discarding = true; // keep what we have: the tag for the refusal
                continue;
            }
            line.write(b);
        }
    }

    /** True when {@code line} (CR or not) ends with a non-synchronizing literal's announcement, {n+}: its octets follow unasked. */
    private static boolean announcesLiteralPlus(String line) {
        Matcher m = LITERAL_AT_END.matcher(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        return m.find() && !m.group(2).isEmpty();
    }

    /** The tag of a (possibly partial) command, or "*" when it has none that could be echoed. */
    static String tagOf(String text) {
        int sp = text.indexOf(' ');
        String tag = sp < 0 ? text : text.substring(0, sp);
        return Args.isTag(tag) ? tag : "*";
    }
}
