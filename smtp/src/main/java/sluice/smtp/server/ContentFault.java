package sluice.smtp.server;

import sluice.smtp.Reply;

/**
 * What can be wrong with message content on the wire, in the order the session reports it: the
 * framing faults first (they are how SMTP smuggling works), then size, then line length, then the
 * one temporary fault, lack of memory.
 */
enum ContentFault {
    /** A CR or LF that is not part of CRLF (RFC 5321 section 2.3.8); never delivered. */
    BARE_LINE_END(Replies.BARE_CR_LF),
    /** NUL is not text (RFC 5321 section 4.5.2, RFC 6152); only BINARYMIME, which we do not offer, may carry it. */
    NUL(Replies.NUL_IN_DATA),
    TOO_BIG(Replies.MESSAGE_TOO_BIG),
    /** A text line over 1000 octets including CRLF (RFC 5321 section 4.5.3.1.6). */
    LINE_TOO_LONG(Replies.DATA_LINE_TOO_LONG),
    /**
     * The node's buffer budget ran out while the message arrived, so its content was not kept. Last:
     * a message that would be refused for good anyway should hear so, not be sent again.
     */
    NO_STORAGE(Replies.INSUFFICIENT_STORAGE);

    private final Reply reply;

    ContentFault(Reply reply) {
        this.reply = reply;
    }

    Reply reply() {
        return reply;
    }

    static final int MAX_LINE = 1000;

    /** Accumulates faults while scanning; {@link #worst()} is null when there were none. */
    static final class Found {
        private int bits;

        void add(ContentFault f) {
            bits |= 1 << f.ordinal();
        }

        ContentFault worst() {
            for (ContentFault f : values()) if ((bits & (1 << f.ordinal())) != 0) return f;
            return null;
        }
    }
}
