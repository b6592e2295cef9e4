package sluice.core.deliver.remote;

import sluice.core.deliver.remote.Multiparts.Delimiter;
import sluice.core.deliver.remote.Multiparts.Open;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether any header block of a message has an octet above 127: the message's own, each body part's (RFC 2046
 * section 5.1) and each enclosed message/rfc822's, the blocks Postfix's cleanup looks at when it marks a message whose
 * client asked for SMTPUTF8 as needing it (RFC 6532: UTF-8 in a header, wherever in the MIME tree, is for SMTPUTF8
 * hops only). A message/global part is content, not walked into: RFC 6532 section 3.7 lets it be encoded like any
 * leaf, so a 7-bit conversion or 8BITMIME carries it.
 *
 * <p>One pass over the message, stopping at the first such octet. The structure is read as Postfix reads it, as
 * {@link SevenBitDowngrade} reads it: a delimiter is a line starting with "--" and the boundary of any open multipart,
 * innermost first, closing those inside it; a digest's parts are message/rfc822 by default; past
 * {@link SevenBitDowngrade#MAX_DEPTH} levels a part is a leaf. As with Postfix, a multipart or message/rfc822 is walked
 * into whatever encoding it declares (its headers, if encoded, are not 8-bit).
 */
final class HeaderBlocks {

    private final byte[] in;
    private final Deque<Open> open = new ArrayDeque<>();

    private HeaderBlocks(byte[] in) {
        this.in = in;
    }

    /** Whether a header block of {@code message} has an octet above 127. */
    static boolean anyEightBit(byte[] message) {
        return new HeaderBlocks(message).scan();
    }

    private boolean scan() {
        int pos = header(0, false);
        while (pos >= 0 && pos < in.length && !open.isEmpty()) { // with no multipart open, no header block follows
            int next = Lines.next(in, pos);
            Delimiter d = delimiter(pos, Lines.contentEnd(in, pos, next));
            pos = next;
            if (d == null) continue;
            while (open.peek() != d.of()) open.pop();
            if (d.close()) open.pop();
            else pos = header(pos, d.of().digest());
        }
        return pos < 0;
    }

    /**
     * Reads the header block at {@code pos} (a part's, whose default type a digest sets, and those of the messages it
     * encloses), opening its multipart if it is one; returns where its body starts, or -1 when a block has an 8-bit
     * octet.
     */
    private int header(int pos, boolean digest) {
        int depth = open.size();
        while (true) {
            EntityHeader h = EntityHeader.read(in, pos);
            if (h.eightBit()) return -1;
            if (depth >= SevenBitDowngrade.MAX_DEPTH) return h.end();
            if (h.isMultipart() && h.boundary() != null) {
                open.push(new Open(h.boundary(), "digest".equals(h.subtype())));
                return h.end();
            }
            boolean rfc822 = h.type() == null ? digest : h.isMessage() && "rfc822".equals(h.subtype());
            if (!rfc822) return h.end();
            pos = h.end();
            digest = false;
            depth++;
        }
    }

    private Delimiter delimiter(int pos, int eol) {
        return Multiparts.delimiter(open, in, pos, eol);
    }
}
