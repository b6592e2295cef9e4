package sluice.imap;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One stored message as a FETCH or SEARCH command uses it: the octets, read at most once, parsed
 * only as far as some item needs. BODY[] and RFC822 need no parsing; ENVELOPE, HEADER, TEXT and the
 * SEARCH keys need the message's own header; only BODY, BODYSTRUCTURE and numbered sections build
 * the MIME tree. Each is built at most once per command, however many items or keys ask for it.
 */
final class StoredMessage {

    /** The chars of text decoded at a time by {@link #textContains}, besides the needle's overlap. */
    static final int TEXT_CHUNK = 8192;

    private final Supplier<byte[]> load;
    private byte[] raw;
    private MimePart header;
    private MimePart tree;

    /** {@code load} reads the octets; it runs on first use, so a SEARCH on flags alone reads nothing. */
    StoredMessage(Supplier<byte[]> load) {
        this.load = load;
    }

    byte[] raw() {
        if (raw == null) raw = load.get();
        return raw;
    }

    /** The message's header fields and body bounds, its parts not split (see {@link MimePart#parseHeader}). */
    MimePart header() {
        if (tree != null) return tree;
        if (header == null) header = MimePart.parseHeader(raw());
        return header;
    }

    /** The whole MIME tree, within {@link MimePart}'s caps. */
    MimePart tree() {
        if (tree == null) tree = MimePart.parse(raw());
        return tree;
    }

    /**
     * True when the message, from the body on unless {@code withHeader}, decoded as UTF-8 (malformed input
     * replaced) and lower-cased char by char ({@link #lower}), contains {@code needle} (lowered the same way).
     * The text is decoded a chunk at a time into one bounded buffer that keeps the last
     * {@code needle.length() - 1} chars of the previous chunk, so a match across chunks is still found and
     * nothing but the octets is held whole: a text search costs the message's size, as a FETCH does.
     */
    boolean textContains(String needle, boolean withHeader) {
        if (needle.isEmpty()) return true;
        byte[] octets = raw();
        int start = withHeader ? 0 : header().bodyStart(); // after an LF, so the split cannot cut a UTF-8 sequence
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer in = ByteBuffer.wrap(octets, start, octets.length - start);
        int overlap = needle.length() - 1;
        CharBuffer text = CharBuffer.allocate(overlap + TEXT_CHUNK);
        char[] chars = text.array();
        int lowered = 0; // chars before this are lower-cased already
        boolean decoded = false;
        boolean flushed = false;
        while (true) {
            if (!decoded) decoded = utf8.decode(in, text, true).isUnderflow(); // overflow: the buffer is full
            if (decoded) flushed = utf8.flush(text).isUnderflow();
            int end = text.position();
            for (int i = lowered; i < end; i++) chars[i] = Character.toLowerCase(chars[i]);
            if (contains(chars, end, needle)) return true;
            if (flushed) return false;
            int keep = Math.min(overlap, end);
            text.flip().position(end - keep);
            text.compact();
            lowered = keep;
        }
    }

    /** True when {@code chars[0, end)} contains {@code needle}. */
    private static boolean contains(char[] chars, int end, String needle) {
        for (int i = 0; i <= end - needle.length(); i++) {
            int j = 0;
            while (j < needle.length() && chars[i + j] == needle.charAt(j)) j++;
            if (j == needle.length()) return true;
        }
        return false;
    }

    /**
     * {@code s} with each char lower-cased on its own, so offsets stay where they were
     * ({@link String#toLowerCase} may lengthen a string); needles are lowered the same way.
     */
    static String lower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) b.append(Character.toLowerCase(s.charAt(i)));
        return b.toString();
    }
}
