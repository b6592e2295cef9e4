package sluice.core.rule;

import sluice.core.mail.Address;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a matching rule does, with EOP's names. At least one action besides stopProcessingRules;
 * at most one of rejectMessage, deleteMessage and quarantine (each ends the message's way).
 *
 * @param rejectMessage       refuse in the SMTP dialogue with {@code 550 <enhancedStatusCode> <reasonText>}
 * @param deleteMessage       accept and drop silently (the trace says so)
 * @param quarantine          hold in quarantine (reason POLICY)
 * @param redirectTo          replace the recipients with these
 * @param addBcc              add these as recipients
 * @param setScl              set the spam confidence level: -1 bypasses spam filtering, 0..9 as if anti-spam said so
 * @param setHeader           add a header field (never one of Sluice's own X-Sluice-* fields)
 * @param prependSubject      text put before the Subject
 * @param routeUsingConnector id of an outbound connector of the same organization: recipients that are not
 *                            hosted mailboxes go through it (what makes isTransportRuleScoped connectors usable)
 * @param stopProcessingRules rules with a higher priority number do not run for this message
 */
public record RuleActions(Rejection rejectMessage, boolean deleteMessage, boolean quarantine, List<String> redirectTo,
                          List<String> addBcc, Integer setScl, SetHeader setHeader, String prependSubject,
                          String routeUsingConnector, boolean stopProcessingRules) {

    static final int MAX_RECIPIENTS = 100;

    /** @param enhancedStatusCode 5.7.1 or 5.7.900 to 5.7.999, as EOP allows; 5.7.1 when not given */
    public record Rejection(String reasonText, String enhancedStatusCode) {
        public Rejection {
            if (reasonText == null || reasonText.isBlank()) reasonText = "Delivery not authorized, message refused";
            reasonText = reasonText.strip();
            if (reasonText.length() > 400 || !reasonText.matches("[ -~]+"))
                throw new IllegalArgumentException("rejectMessage.reasonText must be printable ASCII of at most 400 characters");
            if (enhancedStatusCode == null || enhancedStatusCode.isBlank()) enhancedStatusCode = "5.7.1";
            enhancedStatusCode = enhancedStatusCode.strip();
            if (!enhancedStatusCode.equals("5.7.1") && !enhancedStatusCode.matches("5\\.7\\.9[0-9][0-9]"))
                throw new IllegalArgumentException("rejectMessage.enhancedStatusCode must be 5.7.1 or between 5.7.900 and 5.7.999");
        }
    }

    public record SetHeader(String name, String value) {
        public SetHeader {
            if (name == null || !name.matches("[!-9;-~]{1,76}"))
                throw new IllegalArgumentException("setHeader.name must be a header field name (printable ASCII without ':' or spaces)");
            if (name.toLowerCase(Locale.ROOT).startsWith("x-sluice-"))
                throw new IllegalArgumentException("setHeader.name: X-Sluice-* header fields are Sluice's own and cannot be set by a rule");
            value = value == null ? "" : value.strip();
            if (value.length() > 900 || value.contains("\r") || value.contains("\n"))
                throw new IllegalArgumentException("setHeader.value must be one line of at most 900 characters");
            if (!text(value).equals(value))
                throw new IllegalArgumentException("setHeader.value must be text: no control characters (other than tab)");
        }

        /**
         * {@code value} without what a header field value cannot carry: control characters other than tab, and
         * unpaired surrogates (not characters at all). Rules stored before the value was checked are loaded so.
         */
        public static String text(String value) {
            StringBuilder out = new StringBuilder(value.length());
            // codePoints() gives a lone surrogate as a code point of its own, in the surrogate range
            value.codePoints().filter(c -> (!Character.isISOControl(c) || c == '\t')
                    && (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)).forEach(out::appendCodePoint);
            return out.toString();
        }

        /** The header field, in ASCII: words with other characters as RFC 2047 encoded words ({@link FieldEncoding}). */
        public String field() {
            return FieldEncoding.field(name, value);
        }
    }

    public RuleActions {
        redirectTo = addresses("redirectTo", redirectTo);
        addBcc = addresses("addBcc", addBcc);
        if (setScl != null && (setScl < -1 || setScl > 9)) throw new IllegalArgumentException("setScl must be between -1 and 9");
        if (prependSubject != null && prependSubject.isEmpty()) prependSubject = null;
        if (prependSubject != null && (prependSubject.length() > 200 || prependSubject.contains("\r") || prependSubject.contains("\n")))
            throw new IllegalArgumentException("prependSubject must be one line of at most 200 characters");
        if (routeUsingConnector != null && routeUsingConnector.isBlank()) routeUsingConnector = null;
        int ends = (rejectMessage != null ? 1 : 0) + (deleteMessage ? 1 : 0) + (quarantine ? 1 : 0);
        if (ends > 1) throw new IllegalArgumentException("give at most one of rejectMessage, deleteMessage and quarantine");
        List<String> given = names(rejectMessage, deleteMessage, quarantine, redirectTo, addBcc, setScl, setHeader,
                prependSubject, routeUsingConnector, stopProcessingRules);
        if (given.isEmpty() || given.equals(List.of("stopProcessingRules")))
            throw new IllegalArgumentException("a rule needs at least one action (stopProcessingRules alone does nothing)");
    }

    /** The actions given, by EOP name, for the trace and lists. */
    public List<String> names() {
        return names(rejectMessage, deleteMessage, quarantine, redirectTo, addBcc, setScl, setHeader, prependSubject,
                routeUsingConnector, stopProcessingRules);
    }

    private static List<String> names(Rejection rejectMessage, boolean deleteMessage, boolean quarantine, List<String> redirectTo,
                                      List<String> addBcc, Integer setScl, SetHeader setHeader, String prependSubject,
                                      String routeUsingConnector, boolean stopProcessingRules) {
        List<String> n = new ArrayList<>();
        if (rejectMessage != null) n.add("rejectMessage");
        if (deleteMessage) n.add("deleteMessage");
        if (quarantine) n.add("quarantine");
        if (!redirectTo.isEmpty()) n.add("redirectTo");
        if (!addBcc.isEmpty()) n.add("addBcc");
        if (setScl != null) n.add("setScl");
        if (setHeader != null) n.add("setHeader");
        if (prependSubject != null) n.add("prependSubject");
        if (routeUsingConnector != null) n.add("routeUsingConnector");
        if (stopProcessingRules) n.add("stopProcessingRules");
        return n;
    }

    private static List<String> addresses(String field, List<String> values) {
        if (values == null || values.isEmpty()) return List.of();
        if (values.size() > MAX_RECIPIENTS) throw new IllegalArgumentException(field + " may have at most " + MAX_RECIPIENTS + " addresses");
        return values.stream().map(v -> {
            try {
                return Address.parse(v == null ? null : v.strip()).toString();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": " + e.getMessage());
            }
        }).distinct().toList();
    }
}
