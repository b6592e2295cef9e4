package sluice.core.deliver.remote;

import sluice.core.deliver.remote.Multiparts.Delimiter;
import sluice.core.deliver.remote.Multiparts.Open;

import sluice.smtp.client.Content;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A message with 8-bit content made 7-bit for a next hop that did not offer 8BITMIME (RFC 6152 section 3
 * forbids sending it 8-bit data), the way Postfix's SMTP client converts by default: a MIME walk in which
 * leaf parts labelled 8bit or binary, and those with 8-bit octets and no label or "7bit", become
 * quoted-printable with their Content-Transfer-Encoding changed (in content that is not text, CR and LF encoded as
 * octets, RFC 2045 section 6.7 (4)); multipart and message/rfc822 parts
 * labelled 8bit or binary are relabelled 7bit and walked into (message/global, which RFC 6532 section 3.5
 * lets be encoded, is a leaf). Header fields and every other octet pass unchanged, line ends included.
 *
 * <p>Header blocks (the message's, its parts', enclosed messages') are left alone even when 8-bit, as Postfix
 * leaves them: the conversion is for bodies, and a header's raw octets (a UTF-8 or legacy 8-bit file name
 * or Subject) are what every reader decodes best as they are. What cannot be made 7-bit without changing what
 * the recipient reads makes the message {@linkplain Result#unconvertible() unconvertible}: 8-bit octets
 * in content already encoded (quoted-printable, base64) or in a message/* type that must stay 7bit
 * (partial, external-body, delivery-status: RFC 2046 section 5.2; or a multipart or message labelled so, which is not
 * walked into), or past the nesting limit.
 * 8-bit octets in a preamble or epilogue, which no MIME reader shows, are written quoted-printable line by line.
 *
 * <p>Malformed structure is followed as Postfix follows it: a multipart without a boundary is a leaf (never encoded:
 * its 8-bit octets make the message unconvertible, since its delimiters, if any, would no longer be delimiters), a
 * missing close delimiter ends its parts at the end of an enclosing part or of the message, and a delimiter
 * of any enclosing multipart ends the parts inside it. Nothing is dropped and nothing throws.
 *
 * <p>A DKIM signature over the body no longer verifies after the conversion. Postfix converts all the same, and so
 * do we: the alternatives are to break RFC 6152 or to return mail that a signer could have sent 7-bit (RFC 6376
 * section 5.3 tells signers to do so for this reason). Its own octet-exact walk rather than Mime4j's parser: every
 * octet that is not converted must leave exactly as it came, line ends and malformed structure included.
 *
 * <p>The message is read from memory and the result written as it is produced: {@link #of} walks once to
 * learn the size and whether the message is convertible, {@link Content#writeTo} walks again to write.
 */
final class SevenBitDowngrade {

    /** Nesting limit, as Postfix's mime_nesting_limit. */
    static final int MAX_DEPTH = 100;

    private static final byte[] SEVEN_BIT = "Content-Transfer-Encoding: 7bit\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QP = "Content-Transfer-Encoding: quoted-printable\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIME_VERSION = "MIME-Version: 1.0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] SOFT_BREAK = {'=', '\r', '\n'};

    /** How a body's lines are written. */
    private enum Mode {
        /** As they are. */
        PASS,
        /** Quoted-printable. */
        QP,
        /** Quoted-printable of content that is not text: its line ends are octets like any other, written =0D=0A. */
        QP_BINARY,
        /** As they are; an 8-bit octet makes the message unconvertible. */
        CHECK,
        /** Preamble and epilogue: as they are, a line with an 8-bit octet quoted-printable. */
        FILLER
    }

    private final byte[] in;
    private final OutputStream out;
    private final Deque<Open> open = new ArrayDeque<>();
    private String unconvertible;
    /** The mode {@link #header} chose for the body that follows it. */
    private Mode modeAfterHeader;

    private SevenBitDowngrade(byte[] in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** The 7-bit form of {@code message}, with its size, or why there is none. */
    static Result of(byte[] message) {
        Counter count = new Counter();
        SevenBitDowngrade walk = new SevenBitDowngrade(message, count);
        try {
            walk.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a counter does not fail
        }
        long size = count.n;
        Content content = new Content() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                new SevenBitDowngrade(message, out).run();
            }
        };
        return new Result(content, walk.unconvertible);
    }

    /**
     * @param content       the converted message
     * @param unconvertible why the message cannot be made 7-bit, or null when {@code content} is 7-bit but for
     *                      the primary header
     */
    record Result(Content content, String unconvertible) {}

    private void run() throws IOException {
        int pos = header(0, true, false, 0);
        Mode mode = modeAfterHeader;
        while (pos < in.length) {
            int next = Lines.next(in, pos);
            int eol = Lines.contentEnd(in, pos, next);
            Delimiter d = delimiter(pos, eol);
            if (d == null) {
                body(mode, pos, eol, next);
                pos = next;
                continue;
            }
            while (open.peek() != d.of()) open.pop();
            if (Lines.has8Bit(in, pos, eol)) fail("8-bit octets after a MIME boundary delimiter");
            out.write(in, pos, next - pos);
            pos = next;
            if (d.close()) {
                open.pop();
                mode = Mode.FILLER;
            } else {
                pos = header(pos, false, d.of().digest(), open.size());
                mode = modeAfterHeader;
            }
        }
    }

    /**
     * Writes the header block at {@code pos} of an entity at nesting {@code depth}, changed where the
     * conversion needs it, sets {@link #modeAfterHeader}, and returns where its body starts. A message/rfc822
     * entity's body is the enclosed message's header and body, which this walks into at once.
     */
    private int header(int pos, boolean messageHeader, boolean digest, int depth) throws IOException {
        while (true) {
            EntityHeader h = EntityHeader.read(in, pos);
            boolean message = h.type() == null ? digest : h.isMessage();
            String subtype = h.type() == null ? (digest ? "rfc822" : "plain") : h.subtype();
            // one labelled quoted-printable or base64 (no valid label for a container) is a leaf, checked, not walked
            // into, as Postfix takes it: its parts re-encoded inside an encoding would be encoded twice
            boolean container = depth < MAX_DEPTH && h.identityEncoding()
                    && (h.isMultipart() && h.boundary() != null || message && "rfc822".equals(subtype));
            byte[] label = null;
            if (container) {
                if (h.eightBitDomain()) label = SEVEN_BIT;
                modeAfterHeader = Mode.FILLER;
            } else {
                boolean eightBit = has8BitInPart(h.end());
                // a multipart whose boundary cannot be read, encoded, would have its delimiters written =2D-
                boolean encodable = depth < MAX_DEPTH && !h.isMultipart()
                        && (!message || subtype != null && subtype.startsWith("global"));
                if (h.isMultipart() && h.boundary() == null && h.identityEncoding() && eightBit) fail("8-bit octets in a multipart whose boundary cannot be read");
                if (!h.identityEncoding() || !encodable) {
                    modeAfterHeader = Mode.CHECK;
                    if (h.eightBitDomain() && !eightBit) label = SEVEN_BIT;
                } else if (eightBit || h.eightBitDomain()) {
                    modeAfterHeader = isText(h, message) ? Mode.QP : Mode.QP_BINARY;
                    label = QP;
                } else {
                    modeAfterHeader = Mode.PASS;
                }
            }
            writeHeader(pos, h, label, messageHeader);
            if (!container) return h.end();
            if (h.isMultipart()) {
                open.push(new Open(h.boundary(), "digest".equals(h.subtype())));
                return h.end();
            }
            // message/rfc822: the enclosed message's own header follows
            pos = h.end();
            messageHeader = true; // RFC 2045 section 4: an enclosed message declares MIME-Version too
            digest = false;
            depth++;
        }
    }

    /**
     * Writes the header block, its Content-Transfer-Encoding fields replaced by {@code label} when there is one; a
     * message's header (the primary one or an enclosed message's) that gets a label and has no MIME-Version gets one.
     */
    private void writeHeader(int pos, EntityHeader h, byte[] label, boolean messageHeader) throws IOException {
        int bodyStart = h.end();
        int blank = h.blankLine() ? lineStartBefore(bodyStart) : bodyStart;
        int field = pos;
        boolean lineOpen = false; // the last field written is the input's last and has no line end
        while (field < blank) {
            int end = Lines.next(in, field);
            while (end < blank && (in[end] == ' ' || in[end] == '\t')) end = Lines.next(in, end);
            boolean encodingField = label != null && "content-transfer-encoding".equals(
                    EntityHeader.fieldName(new String(in, field, Math.min(end, field + 40) - field, StandardCharsets.ISO_8859_1) + ":"));
            if (!encodingField) {
                out.write(in, field, end - field);
                lineOpen = in[end - 1] != '\n' && in[end - 1] != '\r';
            }
            field = end;
        }
        if (label != null) {
            if (lineOpen) out.write(CRLF);
            if (messageHeader && !h.mimeVersion()) out.write(MIME_VERSION);
            out.write(label);
        }
        if (h.blankLine()) out.write(in, blank, bodyStart - blank);
        else if (label != null && bodyStart < in.length) out.write(CRLF); // a header broken off by a non-field line ends here
    }

    /**
     * Whether a leaf's content is text, whose line ends are line breaks (RFC 2045 section 6.7 (4)): text, a message
     * (message/global), or no type declared (text/plain); application, image and the other discrete types are not.
     */
    private static boolean isText(EntityHeader h, boolean message) {
        return h.type() == null || message || "text".equals(h.type());
    }

    /** Where the line ending at {@code end} (the empty line closing a header block) starts. */
    private int lineStartBefore(int end) {
        int s = end;
        if (s > 0 && in[s - 1] == '\n') s--;
        if (s > 0 && in[s - 1] == '\r') s--;
        return s;
    }

    private void body(Mode mode, int pos, int eol, int next) throws IOException {
        boolean eightBit = Lines.has8Bit(in, pos, eol);
        switch (mode) {
            case PASS -> out.write(in, pos, next - pos);
            case QP -> QuotedPrintable.line(in, pos, eol, next > eol, out);
            case QP_BINARY -> {
                // RFC 2045 section 6.7 (4): CR and LF of non-text content are encoded; the line end before a
                // delimiter (or at the end) belongs to the delimiter, and stays one
                if (next >= in.length || delimiter(next, Lines.contentEnd(in, next, Lines.next(in, next))) != null) {
                    QuotedPrintable.line(in, pos, eol, next > eol, out);
                } else {
                    QuotedPrintable.line(in, pos, next, false, out);
                    out.write(SOFT_BREAK);
                }
            }
            case CHECK -> {
                if (eightBit) fail("8-bit octets in content that cannot be re-encoded (already encoded, or a message/* type that must stay 7bit)");
                out.write(in, pos, next - pos);
            }
            case FILLER -> {
                if (eightBit) QuotedPrintable.line(in, pos, eol, next > eol, out);
                else out.write(in, pos, next - pos);
            }
        }
    }

    /** Whether the part whose body starts at {@code pos} has an 8-bit octet before the next delimiter or the end. */
    private boolean has8BitInPart(int pos) {
        while (pos < in.length) {
            int next = Lines.next(in, pos);
            int eol = Lines.contentEnd(in, pos, next);
            if (delimiter(pos, eol) != null) return false;
            if (Lines.has8Bit(in, pos, eol)) return true;
            pos = next;
        }
        return false;
    }

    private Delimiter delimiter(int pos, int eol) {
        return Multiparts.delimiter(open, in, pos, eol);
    }

    private void fail(String why) {
        if (unconvertible == null) unconvertible = why;
    }

    /** Counts octets written. */
    private static final class Counter extends OutputStream {
        long n;

        @Override
        public void write(int b) {
            n++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
        }
    }
}
