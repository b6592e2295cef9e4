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

    /**
     * What a message read as text holds, in multiples of its octets: the octets and the text's chars
     * (two octets each, at most one per octet).
     */
    static final int TEXT_COST = 3;

    private final Supplier<byte[]> load;
    private byte[] raw;
    private MimePart header;
    private MimePart tree;
    private CharBuffer lowerText;
    private int lowerBodyStart;

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
     * The message as text, decoded as UTF-8 and lower-cased char by char ({@link #lower}) in place, built
     * once: every TEXT and BODY key scans it, and rebuilding it per key cost a copy of the message each.
     * It is one char array of at most one char per octet, so the message and its text hold at most
     * {@link #TEXT_COST} times the message's octets.
     */
    CharSequence lowerText() {
        if (lowerText == null) {
            byte[] octets = raw();
            int bodyStart = header().bodyStart(); // after an LF, so the split cannot cut a UTF-8 sequence
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            CharBuffer text = CharBuffer.allocate(octets.length); // UTF-8 never decodes to more chars than octets
            utf8.decode(ByteBuffer.wrap(octets, 0, bodyStart), text, true);
            utf8.flush(text);
            lowerBodyStart = text.position();
            utf8.reset();
            utf8.decode(ByteBuffer.wrap(octets, bodyStart, octets.length - bodyStart), text, true);
            utf8.flush(text);
            char[] chars = text.array();
            for (int i = 0; i < text.position(); i++) chars[i] = Character.toLowerCase(chars[i]);
            lowerText = text.flip();
        }
        return lowerText;
    }

    /** Where the body starts in {@link #lowerText()}. */
    int lowerBodyStart() {
        lowerText();
        return lowerBodyStart;
    }

    /** True when {@link #lowerText()}, from the body on unless {@code withHeader}, contains {@code needle} (lowered by {@link #lower}). */
    boolean textContains(String needle, boolean withHeader) {
        CharSequence text = lowerText();
        int last = text.length() - needle.length();
        for (int i = withHeader ? 0 : lowerBodyStart; i <= last; i++) {
            int j = 0;
            while (j < needle.length() && text.charAt(i + j) == needle.charAt(j)) j++;
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
