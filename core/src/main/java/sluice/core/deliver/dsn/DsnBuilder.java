package sluice.core.deliver.dsn;

import sluice.core.mail.EncodedWords;
import sluice.core.mail.Headers;
import sluice.core.mail.OrganizationHeaders;
import sluice.core.mail.QueuedMessage;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static sluice.core.deliver.dsn.Utf8AddressType.isAscii;

/**
 * Builds delivery status notifications (RFC 3464): a {@code multipart/report} with a human-readable
 * part that says what failed and why, the {@code message/delivery-status} part, and the original
 * header (up to 64 KiB) or the whole message when the sender asked for RET=FULL (RFC 3461 section
 * 4.3) and it is at most 1 MiB. A report about internationalized mail (RFC 6533) has a
 * {@code message/global-delivery-status} part instead, and returns a header with UTF-8 in it as
 * {@code message/global-headers} or {@code message/global}; a report with nothing but ASCII to say is
 * written exactly as before.
 */
public final class DsnBuilder {

    public enum Action { FAILED, DELAYED, DELIVERED, RELAYED }

    /**
     * One recipient's line in the report.
     *
     * @param reply      the last reply ("550 5.1.1 User unknown") or local reason, or null
     * @param remoteMta  the host that gave the reply, or null
     * @param why        a sentence for people: what went wrong and, where we know, what to do
     * @param lastAttempt when the last delivery attempt was made, or null when none was (the field is left out)
     * @param status     the Status to give (RFC 3463), or null for the reply's ({@link #statusOf})
     */
    public record Entry(String recipient, String orcpt, Action action, String reply, String remoteMta, String why,
                        Instant lastAttempt, String status) {

        public Entry(String recipient, String orcpt, Action action, String reply, String remoteMta, String why,
                     Instant lastAttempt) {
            this(recipient, orcpt, action, reply, remoteMta, why, lastAttempt, null);
        }
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final Pattern STATUS = Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})\\b");
    private static final Pattern HOST_ADDRESS_PORT = Pattern.compile("(.*)\\[([^\\]]+)\\]:\\d+");
    private static final int MAX_RETURNED_BODY = 1 << 20;
    static final int MAX_RETURNED_HEADER = 64 << 10;
    /** UTF-8 in a message/global* part goes as it is, in the 8bit encoding these types prefer (RFC 6533 section 6, RFC 6532 section 3.7). */
    private static final String EIGHT_BIT = "Content-Transfer-Encoding: 8bit";

    private final String hostname;
    private final ZoneId zone;

    public DsnBuilder(String hostname, ZoneId zone) {
        this.hostname = hostname;
        this.zone = zone;
    }

    /**
     * The enhanced status of a reply, or a generic one of the right class (RFC 3463). A delayed recipient is still
     * being tried, so its status is a transient one (RFC 3464 section 2.3.3): a permanent reply it got from one of
     * several hosts is given as 4.x.x.
     */
    public static String statusOf(String reply, Action action) {
        if (reply != null) {
            Matcher m = STATUS.matcher(reply);
            if (m.find()) return action == Action.DELAYED && m.group(1).startsWith("5") ? "4" + m.group(1).substring(1) : m.group(1);
        }
        return switch (action) {
            case FAILED -> "5.0.0";
            case DELAYED -> "4.0.0";
            case DELIVERED, RELAYED -> "2.0.0";
        };
    }

    public byte[] build(QueuedMessage original, List<Entry> entries, Action kind, Instant now, Instant retryUntil) {
        String boundary = "=_sluice_" + UUID.randomUUID();
        Returned returned = returned(original);
        boolean global = global(original, entries, returned);
        String subject = Headers.first(original.content(), "Subject");
        StringBuilder m = new StringBuilder(4096);
        m.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append(">\r\n");
        m.append("To: <").append(original.sender()).append(">\r\n");
        m.append("Subject: ").append(EncodedWords.encode(prefix(kind) + (subject == null ? "(no subject)" : utf8(subject)),
                "Subject: ".length())).append("\r\n");
        m.append("Date: ").append(DATE.format(now.atZone(zone))).append("\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(hostname).append(">\r\n");
        m.append("Auto-Submitted: auto-replied\r\n"); // RFC 3834: nobody should answer this automatically
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        m.append("\r\nThis is a MIME-formatted delivery status notification.\r\n");

        m.append("\r\n--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        humanPart(m, original, entries, kind, retryUntil);

        m.append("\r\n--").append(boundary).append("\r\n");
        m.append(global ? "Content-Type: message/global-delivery-status\r\n" + EIGHT_BIT + "\r\n" : "Content-Type: message/delivery-status\r\n");
        m.append("\r\n");
        statusPart(m, original, entries, kind, retryUntil, global);

        m.append("\r\n--").append(boundary).append("\r\n");
        m.append("Content-Type: ").append(returned.type()).append("\r\n\r\n");
        byte[] head = m.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + returned.content().length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(returned.content(), 0, out, head.length, returned.content().length);
        System.arraycopy(tail, 0, out, head.length + returned.content().length, tail.length);
        return out;
    }

    /**
     * Whether the report is an internationalized one (RFC 6533 section 4): when the original was SMTPUTF8
     * mail, which is what a non-ASCII sender or UTF-8 in its header (RFC 6532) needs, or when the status part
     * has non-ASCII to say (a recipient's address, a reply). Its status part is then
     * message/global-delivery-status, where UTF-8 and the utf-8 address type may be written. The report
     * needs no SMTPUTF8 of its own for that: its top-level header is ASCII unless the sender, its recipient,
     * is not, and the envelope asks for SMTPUTF8 exactly then; message/global* parts travel as 8bit MIME.
     */
    private static boolean global(QueuedMessage original, List<Entry> entries, Returned returned) {
        if (returned.utf8Header() || !isAscii(original.sender()) || !isAscii(original.dsnEnvId())) return true;
        for (Entry e : entries) {
            if (!isAscii(e.recipient()) || !isAscii(e.reply()) || !isAscii(e.remoteMta())) return true;
            if (e.orcpt() != null && !Utf8AddressType.fitsAscii(e.orcpt())) return true;
        }
        return false;
    }

    private static String prefix(Action kind) {
        return switch (kind) {
            case FAILED -> "Undeliverable: ";
            case DELAYED -> "Delayed: ";
            case DELIVERED, RELAYED -> "Delivered: ";
        };
    }

    private void humanPart(StringBuilder m, QueuedMessage original, List<Entry> entries, Action kind, Instant retryUntil) {
        m.append("This is the mail system at ").append(hostname).append(".\r\n\r\n");
        m.append(switch (kind) {
            case FAILED -> "Your message could not be delivered to the following recipients. No further attempts will be made.";
            case DELAYED -> "Your message has not been delivered yet to the following recipients. Delivery will be retried until "
                    + DATE.format(retryUntil.atZone(zone)) + "; you do not need to send it again.";
            case DELIVERED -> "Your message was delivered to the following recipients.";
            case RELAYED -> "Your message was passed on to the following recipients' mail servers, which do not report delivery.";
        }).append("\r\n\r\n");
        for (Entry e : entries) {
            m.append("  <").append(e.recipient()).append(">\r\n");
            if (e.why() != null) ReportLines.paragraph(m, "    ", e.why());
            if (e.reply() != null) {
                ReportLines.paragraph(m, "    ", (e.remoteMta() == null ? "Reason" : "The server " + e.remoteMta() + " said")
                        + ": " + e.reply());
            }
            m.append("\r\n");
        }
        m.append("Queue id ").append(original.id()).append(", received ")
                .append(DATE.format(original.receivedAt().atZone(zone))).append(".\r\n");
    }

    private void statusPart(StringBuilder m, QueuedMessage original, List<Entry> entries, Action kind, Instant retryUntil,
                            boolean global) {
        m.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        if (original.dsnEnvId() != null) m.append("Original-Envelope-Id: ").append(clean(original.dsnEnvId())).append("\r\n");
        m.append("Arrival-Date: ").append(DATE.format(original.receivedAt().atZone(zone))).append("\r\n");
        for (Entry e : entries) {
            m.append("\r\n");
            if (e.orcpt() != null) m.append("Original-Recipient: ").append(Utf8AddressType.originalRecipient(e.orcpt(), global)).append("\r\n");
            m.append("Final-Recipient: ").append(Utf8AddressType.finalRecipient(e.recipient())).append("\r\n");
            m.append("Action: ").append(e.action().name().toLowerCase(Locale.ROOT)).append("\r\n");
            m.append("Status: ").append(e.status() != null ? e.status() : statusOf(e.reply(), e.action())).append("\r\n");
            if (e.remoteMta() != null) m.append("Remote-MTA: dns; ").append(mtaName(e.remoteMta())).append("\r\n");
            if (e.reply() != null && e.reply().matches("^\\d{3}\\b.*")) {
                ReportLines.field(m, "Diagnostic-Code", "smtp; " + e.reply());
            }
            if (e.lastAttempt() != null) m.append("Last-Attempt-Date: ").append(DATE.format(e.lastAttempt().atZone(zone))).append("\r\n");
            if (kind == Action.DELAYED) m.append("Will-Retry-Until: ").append(DATE.format(retryUntil.atZone(zone))).append("\r\n");
        }
    }

    /**
     * What a report gives back of the original: the whole message or its header, and whether that header
     * has UTF-8 (RFC 6532), which message/rfc822 and text/rfc822-headers cannot carry: it goes as
     * message/global or message/global-headers then (RFC 6532 section 3.7, RFC 6533 sections 4 and 6).
     */
    private record Returned(byte[] content, boolean full, boolean utf8Header) {
        /** The part's Content-Type value, and its transfer encoding where that is not the default. */
        String type() {
            if (utf8Header) return (full ? "message/global" : "message/global-headers") + "\r\n" + EIGHT_BIT;
            return full ? "message/rfc822" : "text/rfc822-headers";
        }
    }

    /**
     * The returned message or header goes to the sender, who is in general outside the organization, so
     * it never carries the organization's own fields (rule ids, folders, who released it from quarantine),
     * whoever the sender is: as when mail leaves the organization ({@link OrganizationHeaders}).
     */
    private static Returned returned(QueuedMessage original) {
        byte[] content = original.content();
        boolean full = "FULL".equals(original.dsnRet()) && content.length <= MAX_RETURNED_BODY;
        content = OrganizationHeaders.removed(full ? content : Arrays.copyOf(content, returnedHeaderLength(content)));
        return new Returned(content, full, utf8Header(content));
    }

    /** Whether the header has non-ASCII text in UTF-8; 8-bit octets of another charset are not (and stay message/rfc822). */
    private static boolean utf8Header(byte[] content) {
        int end = Headers.headerLength(content);
        int i = 0;
        while (i < end && content[i] >= 0) i++;
        if (i == end) return false;
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * How many octets of {@code content} a report returns as its header (RFC 3462 text/rfc822-headers):
     * the header as {@link Headers#headerLength} finds it, so a body is never returned as a header. At
     * most {@link #MAX_RETURNED_HEADER} octets, cut before a field so that no folded field is returned in
     * part (nothing, when the first field alone is larger).
     */
    static int returnedHeaderLength(byte[] content) {
        int headerEnd = Headers.headerLength(content);
        if (headerEnd <= MAX_RETURNED_HEADER) return headerEnd;
        int fieldStart = 0;
        for (int pos = 0; ; ) {
            if (content[pos] != ' ' && content[pos] != '\t') fieldStart = pos;
            while (pos < headerEnd && content[pos++] != '\n') { }
            if (pos > MAX_RETURNED_HEADER) return fieldStart;
        }
    }

    /**
     * RFC 3464 section 2.3.5: the "dns" type names a host, so "mx.example.com[192.0.2.1]:25", as a delivery names
     * the host it spoke to, is written "mx.example.com"; a host known only by its address as the literal "[192.0.2.1]".
     */
    static String mtaName(String remoteMta) {
        Matcher m = HOST_ADDRESS_PORT.matcher(remoteMta);
        if (!m.matches()) return remoteMta;
        return m.group(1).isEmpty() ? addressLiteral(m.group(2)) : m.group(1);
    }

    /**
     * An address as RFC 5321 section 4.1.3 writes it: "[192.0.2.1]", or "[IPv6:2001:db8::1]" in RFC 5952's
     * short form, without a scope (a zone index names an interface of this node, nothing the reader can use).
     */
    static String addressLiteral(String address) {
        if (address.indexOf(':') < 0) return "[" + address + "]";
        int scope = address.indexOf('%');
        String[] groups = (scope < 0 ? address : address.substring(0, scope)).split(":", -1);
        if (groups.length != 8) return "[IPv6:" + (scope < 0 ? address : address.substring(0, scope)) + "]";
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j].replace("0", "").isEmpty()) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        StringBuilder out = new StringBuilder("[IPv6:");
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(groups[i].replaceFirst("^0+(?=.)", "").toLowerCase(java.util.Locale.ROOT));
            if (i < 7) out.append(':');
        }
        return out.append(']').toString();
    }

    /** A field value in the status part must stay on one line. */
    private static String clean(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /**
     * {@link Headers} reads octets as Latin-1; a raw UTF-8 subject (RFC 6532) is read again as UTF-8
     * so that it is encoded once, not as the UTF-8 of each octet. Anything else stays as read.
     */
    static String utf8(String latin1) {
        byte[] octets = latin1.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            return latin1;
        }
    }
}
