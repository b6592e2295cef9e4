package sluice.core.deliver.remote;

import sluice.core.mail.Headers;
import sluice.core.mail.OrganizationHeaders;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SMTP envelope of one delivery: MAIL and RCPT parameters derived from the queued message.
 *
 * <p>SMTPUTF8 (RFC 6531) as Postfix handles it. MAIL carries the SMTPUTF8 parameter, to a hop that offers the
 * extension, when an address is not ASCII or when the client asked for SMTPUTF8 ({@link QueuedMessage#smtpUtf8()}).
 * To a hop that does not offer it, the message may not go when it needs the extension ({@link #smtpUtf8Need}): a
 * non-ASCII address always does (section 3.2: there is no downgrade); UTF-8 in a header does when the client asked for
 * SMTPUTF8, in any header block ({@link HeaderBlocks}: the message's, a body part's such as a raw UTF-8 attachment file
 * name, an enclosed message/rfc822's; not inside message/global, which may be encoded as a body is). A requested
 * message that is ASCII in both goes to such a hop without the parameter, and UTF-8 headers whose client did not ask go
 * as they are, without it, to every hop (Postfix's compatibility with mail from before SMTPUTF8: flagged, it would
 * become undeliverable to any server further on without the extension).
 *
 * @param smtpUtf8Need why the message may go only to a server that offers SMTPUTF8, or null when it may go to any
 */
record Envelope(MailFrom mail, List<RcptTo> rcpts, byte[] content, Utf8Need smtpUtf8Need) {

    /**
     * What makes a message need SMTPUTF8: the enhanced status code and the start of the refusal's reply (RFC 6531
     * section 4.2: X.6.7 for addresses, X.6.9 for a UTF-8 header), and what the trace adds.
     */
    enum Utf8Need {
        ADDRESS("5.6.7", "Non-ASCII address", ""),
        HEADER("5.6.9", "UTF-8 header", "; the message was received with SMTPUTF8 and a header (RFC 6532) is not ASCII");

        final String code;
        final String reply;
        final String detail;

        Utf8Need(String code, String reply, String detail) {
            this.code = code;
            this.reply = reply;
            this.detail = detail;
        }
    }

    /**
     * @param leavingOrganization the next hop is outside the organization: Sluice's own header fields that only
     *                            mean something inside it ({@link OrganizationHeaders}) are left out
     */
    static Envelope of(QueuedMessage m, List<QueuedRecipient> recipients, boolean leavingOrganization) {
        byte[] content = leavingOrganization ? OrganizationHeaders.removed(m.content()) : m.content();
        boolean utf8Address = !isAscii(m.sender());
        List<RcptTo> rcpts = new ArrayList<>();
        for (QueuedRecipient r : recipients) {
            String to = r.address().toString();
            utf8Address |= !isAscii(to);
            rcpts.add(new RcptTo(to, notify(r.notifyOn()), r.orcpt()));
        }
        boolean eightBit = Lines.has8Bit(content, 0, content.length);
        Utf8Need need = utf8Address ? Utf8Need.ADDRESS
                : m.smtpUtf8() && eightBit && HeaderBlocks.anyEightBit(content) ? Utf8Need.HEADER : null;
        MailFrom.Body body = eightBit ? MailFrom.Body.EIGHT_BIT_MIME : MailFrom.Body.SEVEN_BIT;
        // the client drops SMTPUTF8 for a hop that does not offer it (Commands): the message then goes only if need is null
        MailFrom mail = new MailFrom(m.sender(), content.length, body, utf8Address || m.smtpUtf8(), ret(m.dsnRet()), m.dsnEnvId());
        return new Envelope(mail, List.copyOf(rcpts), content, need);
    }

    private static Set<RcptTo.Notify> notify(Set<String> words) {
        Set<RcptTo.Notify> out = EnumSet.noneOf(RcptTo.Notify.class);
        for (String w : words) {
            try {
                out.add(RcptTo.Notify.valueOf(w.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException ignored) {
                // not a NOTIFY keyword: nothing to pass on
            }
        }
        return out;
    }

    private static MailFrom.Ret ret(String ret) {
        if (ret == null) return null;
        return switch (ret.toUpperCase(Locale.ROOT)) {
            case "FULL" -> MailFrom.Ret.FULL;
            case "HDRS" -> MailFrom.Ret.HDRS;
            default -> null;
        };
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 127) return false;
        return true;
    }


    boolean needsSmtpUtf8() {
        return smtpUtf8Need != null;
    }

    /** Whether the body (all after the header section) has an octet above 127: then it is 8BITMIME's or a 7-bit conversion's. */
    boolean eightBitBody() {
        return Lines.has8Bit(content, Headers.headerLength(content), content.length);
    }

}
