package sluice.imap;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One stored message as a FETCH or SEARCH command uses it: the octets, read at most once, parsed
 * only as far as some item needs. BODY[] and RFC822 need no parsing; ENVELOPE, HEADER, TEXT and the
 * SEARCH keys need the message's own header; only BODY, BODYSTRUCTURE and numbered sections build
 * the MIME tree. Each is built at most once per command, however many items or keys ask for it.
 */
final class StoredMessage {

    private final Supplier<byte[]> load;
    private byte[] raw;
    private MimePart header;
    private MimePart tree;
    private String lowerText;
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
     * The message as text, decoded as UTF-8 and lower-cased char by char ({@link #lower}), built
     * once: every TEXT and BODY key scans it, and rebuilding it per key cost a copy of the message each.
     */
    String lowerText() {
        if (lowerText == null) {
            byte[] octets = raw();
            int bodyStart = header().bodyStart(); // after an LF, so the split cannot cut a UTF-8 sequence
            String head = new String(octets, 0, bodyStart, StandardCharsets.UTF_8);
            String body = new String(octets, bodyStart, octets.length - bodyStart, StandardCharsets.UTF_8);
            lowerText = lower(head + body);
            lowerBodyStart = head.length();
        }
        return lowerText;
    }

    /** Where the body starts in {@link #lowerText()}. */
    int lowerBodyStart() {
        lowerText();
        return lowerBodyStart;
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
