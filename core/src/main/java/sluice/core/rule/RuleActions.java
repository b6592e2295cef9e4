package sluice.core.rule;

import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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
 * @param setHeader           set a header field: it replaces every field of that name (never one of Sluice's own
 *                            X-Sluice-* fields, nor a trace, authentication or MIME structure field)
 * @param prependSubject      text put before the Subject
 * @param routeUsingConnector id of an outbound connector of the same organization: recipients that are not
 *                            hosted mailboxes go through it (what makes isTransportRuleScoped connectors usable)
 * @param stopProcessingRules rules with a higher priority number do not run for this message
 */
public record RuleActions(Rejection rejectMessage, boolean deleteMessage, boolean quarantine, List<String> redirectTo,
                          List<String> addBcc, Integer setScl, SetHeader setHeader, String prependSubject,
                          String routeUsingConnector, boolean stopProcessingRules) {

    static final int MAX_RECIPIENTS = 100;

    /**
     * No action at all, which the constructor refuses to anyone else: what the store shows for a stored rule whose
     * every action it had to drop when loading (a setHeader now refused) or that it could not read. Such a rule is
     * disabled and cannot be enabled until it is given actions again.
     */
    public static final RuleActions NONE;
    /** False only while {@link #NONE} is made. */
    private static final boolean NONE_MADE;

    static {
        NONE = new RuleActions(null, false, false, null, null, null, null, null, null, false);
        NONE_MADE = true;
    }

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

    /**
     * A header field a matching rule sets, as EOP's "Set the message header": it replaces every field of that name
     * the message has (RFC 5322 section 3.6 allows one From, Sender, To, Subject...), and when several rules set the
     * same field the last one's value stays. From, Sender and the other address fields may be set (an organization
     * may rewrite its own mail) but must read as addresses, and never as another organization's ({@link #foreignAddress}). Refused: Sluice's own X-Sluice-* fields; trace and
     * authentication fields (Received, Return-Path, Received-SPF, DKIM-Signature, ARC-*, Authentication-Results), which
     * other hops wrote and which a replacement would forge or break; and MIME-Version, Content-Type and
     * Content-Transfer-Encoding, which say how the body is read: replaced, the body would no longer read.
     */
    public record SetHeader(String name, String value) {

        private static final Set<String> REFUSED = Set.of("received", "return-path", "received-spf", "dkim-signature",
                "authentication-results", "mime-version", "content-type", "content-transfer-encoding");
        /** Fields that say who wrote or sent the message (RFC 5322 section 3.6.2, 3.6.6). */
        private static final Set<String> AUTHORS = Set.of("from", "sender", "resent-from", "resent-sender");
        /** Fields that say where replies go. */
        private static final Set<String> REPLIES = Set.of("reply-to", "mail-reply-to");

        public SetHeader {
            if (name == null || !name.matches("[!-9;-~]{1,76}"))
                throw new IllegalArgumentException("setHeader.name must be a header field name (printable ASCII without ':' or spaces)");
            value = value == null ? "" : value.strip();
            if (value.length() > 900 || value.contains("\r") || value.contains("\n"))
                throw new IllegalArgumentException("setHeader.value must be one line of at most 900 characters");
            if (!text(value).equals(value))
                throw new IllegalArgumentException("setHeader.value must be text: no control characters (other than tab)");
            String refusal = refusal(name, value);
            if (refusal != null) throw new IllegalArgumentException(refusal);
        }

        /**
         * Why a rule may not set this field (a valid name, a one-line text value), or null. Public for the store: a rule
         * saved before a check was added is loaded without its setHeader rather than not at all.
         */
        public static String refusal(String name, String value) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-sluice-"))
                return "setHeader.name: X-Sluice-* header fields are Sluice's own and cannot be set by a rule";
            if (REFUSED.contains(lower) || lower.startsWith("arc-"))
                return "setHeader.name: " + name + " cannot be set by a rule: trace, authentication and MIME structure fields"
                        + " (Received, Return-Path, Received-SPF, DKIM-Signature, ARC-*, Authentication-Results, MIME-Version,"
                        + " Content-Type, Content-Transfer-Encoding) are the message's own";
            String why = FieldEncoding.refusal(name, value.strip());
            return why == null ? null : "setHeader.value: " + why;
        }

        /**
         * Why a rule of {@code organizationId} may not set this field to these addresses, or null: with several
         * organizations on one node, a rule must not make mail look as if another one sent it. From, Sender,
         * Resent-From and Resent-Sender may name only addresses in the organization's own accepted domains; Reply-To
         * and Mail-Reply-To no address in a domain another organization accepts (replies would go to that tenant).
         * Checked when the rule is saved and again for each message, since a domain can move to another organization.
         *
         * @param owner the organization whose accepted domain a domain is, if any
         */
        public static String foreignAddress(String name, String value, String organizationId, Function<Domain, Optional<String>> owner) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            boolean author = AUTHORS.contains(lower);
            if (!author && !REPLIES.contains(lower)) return null;
            for (String address : AddressList.addrSpecs(value)) {
                Optional<String> of = ownerOf(address, owner);
                if (author && !of.equals(Optional.of(organizationId)))
                    return address + " is not in an accepted domain of this organization; a rule may set"
                            + " From, Sender, Resent-From and Resent-Sender only to the organization's own addresses";
                if (!author && of.isPresent() && !of.get().equals(organizationId))
                    return address + " is in a domain another organization accepts; a rule may not send"
                            + " replies there";
            }
            return null;
        }

        private static Optional<String> ownerOf(String address, Function<Domain, Optional<String>> owner) {
            try {
                return owner.apply(Address.parse(address).domain());
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // a domain literal or a name no domain of ours can have
            }
        }

        /** The field's name in lower case, as fields are compared (RFC 5322 section 1.2.2: names are case-insensitive). */
        public static String nameOf(String field) {
            int colon = field.indexOf(':');
            return (colon < 0 ? field : field.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
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

        /**
         * The header field as written, folded: words with other characters as RFC 2047 encoded words, an address with
         * other characters as UTF-8 (RFC 6532) ({@link FieldEncoding}).
         */
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
        if (NONE_MADE && (given.isEmpty() || given.equals(List.of("stopProcessingRules"))))
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
