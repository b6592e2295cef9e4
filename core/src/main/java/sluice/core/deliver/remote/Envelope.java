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
 * @param needsSmtpUtf8 the message may go only to a server that offers SMTPUTF8 (RFC 6531): a non-ASCII address,
 *                      and then MAIL carries the SMTPUTF8 parameter. A non-ASCII octet in the header section (RFC 6532)
 *                      asks for nothing and goes as it is to every server, as Postfix sends mail whose client did not
 *                      ask for SMTPUTF8 (the queue does not keep whether it did): flagging it would make it undeliverable
 *                      to any server further on without SMTPUTF8, and a legacy 8-bit Subject is no reason to return
 *                      mail to its sender.
 */
record Envelope(MailFrom mail, List<RcptTo> rcpts, byte[] content, boolean needsSmtpUtf8) {

    /**
     * @param leavingOrganization the next hop is outside the organization: Sluice's own header fields that only
     *                            mean something inside it ({@link OrganizationHeaders}) are left out
     */
    static Envelope of(QueuedMessage m, List<QueuedRecipient> recipients, boolean leavingOrganization) {
        byte[] content = leavingOrganization ? OrganizationHeaders.removed(m.content()) : m.content();
        boolean utf8 = !isAscii(m.sender());
        List<RcptTo> rcpts = new ArrayList<>();
        for (QueuedRecipient r : recipients) {
            String to = r.address().toString();
            utf8 |= !isAscii(to);
            rcpts.add(new RcptTo(to, notify(r.notifyOn()), r.orcpt()));
        }
        MailFrom.Body body = Lines.has8Bit(content, 0, content.length) ? MailFrom.Body.EIGHT_BIT_MIME : MailFrom.Body.SEVEN_BIT;
        MailFrom mail = new MailFrom(m.sender(), content.length, body, utf8, ret(m.dsnRet()), m.dsnEnvId());
        return new Envelope(mail, List.copyOf(rcpts), content, utf8);
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


    /** Whether the body (all after the header section) has an octet above 127: then it is 8BITMIME's or a 7-bit conversion's. */
    boolean eightBitBody() {
        return Lines.has8Bit(content, Headers.headerLength(content), content.length);
    }

}
