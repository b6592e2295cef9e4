package sluice.core.receive;

import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.filter.Verdict;
import sluice.core.mail.EncodedWords;
import sluice.core.mail.Headers;
import sluice.core.rule.RuleActions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Applies a deliver verdict to the message octets: header fields to add, Junk folder, subject prefix. */
final class Protection {

    private static final String SUBJECT = "Subject: ";

    private Protection() {
    }

    /** {@code received} then the verdict's fields then the (possibly re-subjected) message. */
    static byte[] apply(byte[] received, Verdict.Deliver verdict, byte[] message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(received.length + message.length + 512);
        out.writeBytes(received);
        for (String h : verdict.headers()) out.writeBytes((h + "\r\n").getBytes(StandardCharsets.UTF_8));
        if (verdict.junk()) out.writeBytes((MailboxDelivery.FOLDER_HEADER + ": Junk\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(verdict.subjectPrefix() == null || verdict.subjectPrefix().isEmpty() ? message
                : prefixSubject(message, verdict.subjectPrefix()));
        return out.toByteArray();
    }

    /**
     * A mail flow rule's header fields put in place of the message's fields of the same names (any case), as EOP's
     * "Set the message header" overwrites: a Subject or From set by a rule leaves one, never two (RFC 5322 section 3.6).
     */
    static byte[] withHeaders(byte[] received, List<String> headers, byte[] message) {
        Set<String> names = headers.stream().map(RuleActions.SetHeader::nameOf).collect(Collectors.toSet());
        byte[] rest = Headers.withoutFields(message, field -> names.contains(RuleActions.SetHeader.nameOf(field)));
        return apply(received, new Verdict.Deliver(false, headers, null, null), rest);
    }

    /**
     * Puts {@code prefix} before the first Subject field's value, or adds a Subject when there is none.
     * A prefix that is not plain ASCII goes in as RFC 2047 encoded words followed by a space, which a
     * reader shows before plain text; before an encoded word it would be dropped (RFC 2047 section
     * 6.2), so the prefix then keeps its own trailing space inside the encoded word.
     */
    static byte[] prefixSubject(byte[] message, String prefix) {
        int headerEnd = Headers.headerLength(message);
        String head = new String(message, 0, headerEnd, StandardCharsets.ISO_8859_1);
        int at = head.toLowerCase(Locale.ROOT).startsWith("subject:") ? 0 : head.toLowerCase(Locale.ROOT).indexOf("\nsubject:") + 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + prefix.length() * 3 + 16);
        if (at <= 0 && !head.toLowerCase(Locale.ROOT).startsWith("subject:")) {
            out.writeBytes((SUBJECT + EncodedWords.encode(prefix.strip(), SUBJECT.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(message);
            return out.toByteArray();
        }
        int value = at + "subject:".length();
        while (value < headerEnd && message[value] == ' ') value++;
        String p = prefix;
        if (!EncodedWords.isPlain(prefix)) {
            boolean beforeEncodedWord = head.startsWith("=?", value);
            p = EncodedWords.encode(beforeEncodedWord ? prefix : prefix.stripTrailing(), SUBJECT.length()) + " ";
        }
        out.write(message, 0, value);
        out.writeBytes(p.getBytes(StandardCharsets.US_ASCII));
        out.write(message, value, message.length - value);
        return out.toByteArray();
    }
}
