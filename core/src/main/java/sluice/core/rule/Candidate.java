package sluice.core.rule;

import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.malware.FileNames;
import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.org.Directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A message as rules test it, and the test of each predicate. The content is parsed at most once for
 * the message, and only when a rule reads it ({@link RuleMessage}). Header patterns share the message's
 * {@link PatternBudget}, are tried on the first {@link #MAX_HEADER_VALUES} fields of a name, and only when a
 * rule's other predicates (in the same conditions or exceptions) do not decide alone; one that could not be
 * evaluated is {@link Truth#UNKNOWN} ({@link #matches}).
 */
final class Candidate {

    static final int MAX_HEADER_VALUES = 10;

    private final Inspection message;
    private final Findings findings;
    private final Directory directory;
    private final PatternBudget budget;
    private final List<Address> senders = new ArrayList<>();
    /** The domains a reader could take from the unreadable parts of From ({@link #shownDomains}), or null before it is read. */
    private AddressList.ShownDomains shownDomains;
    private final RuleMessage content;
    private boolean fromHeaderRead;
    private String subjectWords;
    private String bodyWords;

    Candidate(Inspection message, Findings findings, Directory directory, PatternBudget budget, RuleMessage content) {
        this.message = message;
        this.content = content;
        this.findings = findings;
        this.directory = directory;
        this.budget = budget;
        if (!message.mailFrom().isEmpty()) add(senders, message.mailFrom());
    }

    /** Whether a rule applies. */
    enum Applies {
        NO, YES,
        /** Applies although a pattern could not be evaluated: a condition of a rule that only restricts, or an exception. */
        PATTERN_UNKNOWN
    }

    /**
     * What a rule's actions can do to the message, for what an unknown answer means ({@link #matches}):
     * {@link #RESTRICTS} ({@link #onlyRestricts}), {@link #TRUSTS} ({@link #grantsTrust}), else {@link #OTHER}.
     */
    enum Effect {
        /** Can only hold or refuse: an unknown condition matches, an unknown exception does not exempt. */
        RESTRICTS,
        /** Can lower the message's guard: an unknown condition does not match, an unknown exception exempts. */
        TRUSTS,
        /**
         * Neither (a subject banner, a Bcc, a redirect, a connector): an unknown condition does not match,
         * an unknown exception does not exempt, as before patterns had a budget, so a sender cannot shed an
         * {@code [EXTERNAL]} banner or a compliance Bcc by spending it.
         */
        OTHER;

        static Effect of(RuleActions a) {
            return onlyRestricts(a) ? RESTRICTS : grantsTrust(a) ? TRUSTS : OTHER;
        }
    }

    /**
     * Whether the rule applies: its conditions match and none of its exceptions does. When the rule only restricts
     * the message ({@link Effect#RESTRICTS}), it fails closed where the message cannot be read: its senderDomainIs
     * condition also sees the domains a reader could take from an unreadable From ({@link #shownDomains}), so a sender
     * cannot dodge a blocking rule by writing From so that the parser refuses it ({@code ceo＠bank.example me@evil.example});
     * and a header pattern that could not be evaluated ({@link PatternBudget}: a sender who crafts values that make it
     * backtrack spends the budget) counts as matching as a condition and as not matching as an exception. Any other
     * rule does not apply on an unknown condition; an unknown exception exempts from a rule that can lower the
     * message's guard ({@link Effect#TRUSTS}), and from no other ({@link Effect#OTHER}). An exception never sees the
     * shown domains.
     */
    Applies matches(TransportRule rule) {
        Effect effect = Effect.of(rule.actions());
        boolean restricts = effect == Effect.RESTRICTS;
        Truth when = test(rule.conditions(), true, restricts);
        if (when == Truth.FALSE || when == Truth.UNKNOWN && !restricts) return Applies.NO;
        Truth unless = rule.exceptions().isEmpty() ? Truth.FALSE : test(rule.exceptions(), false, false);
        if (unless == Truth.TRUE || unless == Truth.UNKNOWN && effect == Effect.TRUSTS) return Applies.NO;
        return when == Truth.TRUE && unless == Truth.FALSE ? Applies.YES : Applies.PATTERN_UNKNOWN;
    }

    /**
     * Actions that can only hold or refuse the message: reject, delete, quarantine, the highest SCL, alone or together,
     * and nothing else. A header ({@code X-Approved: yes}, a From of the organization's own), a subject prefix
     * ({@code [Verified partner]}), a redirect (to a partner's pipeline), added recipients, a connector or a lower SCL
     * may add trust or let mail through. So may stopProcessingRules (it skips later rules), except with reject, delete
     * or quarantine, which end the rules anyway: there it changes nothing.
     */
    static boolean onlyRestricts(RuleActions a) {
        boolean ends = ends(a);
        boolean restricts = ends || Integer.valueOf(9).equals(a.setScl());
        boolean nothingElse = (a.setScl() == null || a.setScl() == 9) && a.redirectTo().isEmpty() && a.addBcc().isEmpty()
                && a.setHeader() == null && a.prependSubject() == null && a.routeUsingConnector() == null
                && (!a.stopProcessingRules() || ends);
        return restricts && nothingElse;
    }

    /**
     * Actions that can lower the message's guard: an SCL below 9 (it replaces anti-spam's, which may be 9: -1 bypasses
     * spam filtering, 0 to 4 is not spam, 5 to 8 turns high-confidence spam into spam), a
     * header (a later hop or the mailbox may trust {@code X-Approved: yes}, or a From of the organization's own), and
     * stopProcessingRules (it skips later rules, blocking ones too) — none of which matters when the rule also
     * quarantines, rejects or deletes: the message goes no further, so such a rule lowers nothing.
     */
    static boolean grantsTrust(RuleActions a) {
        return !ends(a) && (a.setScl() != null && a.setScl() < 9 || a.setHeader() != null || a.stopProcessingRules());
    }

    /** Whether the actions end the message's way (and so the rules). */
    static boolean ends(RuleActions a) {
        return a.rejectMessage() != null || a.deleteMessage() || a.quarantine();
    }

    /**
     * {@code all} (conditions): FALSE at the first given predicate that fails, else UNKNOWN if the header pattern
     * could not be evaluated, else TRUE. Otherwise (exceptions): TRUE at the first that holds, else UNKNOWN if the
     * header pattern could not be evaluated, else FALSE.
     *
     * @param shown whether senderDomainIs also sees the domains shown in an unreadable From
     */
    private Truth test(RulePredicates p, boolean all, boolean shown) {
        List<java.util.function.BooleanSupplier> given = new ArrayList<>();
        if (!p.fromAddresses().isEmpty()) given.add(() -> senders().stream().anyMatch(a -> p.fromAddresses().contains(a.key())));
        if (!p.senderDomainIs().isEmpty()) given.add(() -> senders().stream().anyMatch(a -> within(a.domain(), p.senderDomainIs()))
                || shown && (shownDomains().truncated() || shownDomains().domains().stream().anyMatch(d -> within(d.domain(), p.senderDomainIs()))));
        if (!p.recipientAddresses().isEmpty())
            given.add(() -> message.recipients().stream().anyMatch(a -> p.recipientAddresses().contains(a.key())));
        if (!p.recipientDomainIs().isEmpty())
            given.add(() -> message.recipients().stream().anyMatch(a -> within(a.domain(), p.recipientDomainIs())));
        if (p.fromScope() != null) given.add(() -> senderInOrganization() == (p.fromScope() == RulePredicates.Scope.IN_ORGANIZATION));
        if (p.sentToScope() != null) given.add(() -> message.recipients().stream()
                .anyMatch(a -> inOrganization(a.domain()) == (p.sentToScope() == RulePredicates.Scope.IN_ORGANIZATION)));
        if (!p.subjectContainsWords().isEmpty()) given.add(() -> containsAny(subjectWords(), p.subjectContainsWords()));
        if (!p.subjectOrBodyContainsWords().isEmpty())
            given.add(() -> containsAny(subjectWords(), p.subjectOrBodyContainsWords()) || containsAny(bodyWords(), p.subjectOrBodyContainsWords()));
        if (!p.attachmentExtensionMatchesWords().isEmpty())
            given.add(() -> content.attachmentNames().stream().anyMatch(n -> p.attachmentExtensionMatchesWords().contains(extension(n))
                    || p.attachmentExtensionMatchesWords().contains(FileNames.savedExtension(n))));
        if (p.sclOver() != null) given.add(() -> scl() >= p.sclOver());
        for (var g : given) if (g.getAsBoolean() != all) return Truth.of(!all);
        // last, since the others may decide alone without spending the budget; the only one that may be UNKNOWN,
        // so with the others undecided (all true, or all false), the rule's answer is its answer
        return p.headerMatchesPatterns() == null ? Truth.of(all) : headerMatches(p.headerMatchesPatterns());
    }

    /**
     * The envelope sender and the addr-spec of each From mailbox, as DMARC reads them: an address in a
     * display name or a comment ({@code "ceo@contoso.example" <x@evil.example>}) is not the sender, nor is
     * a part readers could read otherwise ({@link AddressList#isAddrSpec}).
     */
    private List<Address> senders() {
        if (!fromHeaderRead) {
            fromHeaderRead = true;
            for (String from : content.rawHeaders("From"))
                for (String spec : AddressList.addrSpecs(from)) if (AddressList.isAddrSpec(spec)) add(senders, spec);
        }
        return senders;
    }

    /**
     * The domains a reader could take from the parts of From that are no address Sluice reads: no addr-spec
     * ({@link AddressList#isAddrSpec}), or one {@link Address#parse} refuses ({@code x@-a.evil.example},
     * {@code ceo@a*b.evil.example}). As DMARC reads them ({@link AddressList#shownDomains}):
     * {@code ceo＠bank.example me@evil.example} shows bank.example and evil.example, {@code x@-a.evil.example}
     * evil.example. Empty when From is readable. When they are longer than is read ({@link AddressList.ShownDomains#truncated})
     * they may show any domain, so a rule that only restricts matches them, as DMARC fails them with reject: a sender
     * cannot fold the domain past the cut.
     */
    private AddressList.ShownDomains shownDomains() {
        if (shownDomains == null) {
            StringBuilder unreadable = new StringBuilder();
            for (String from : content.rawHeaders("From"))
                for (String spec : AddressList.addrSpecs(from)) {
                    if (unreadable.length() > AddressList.MAX_SHOWN_CHARS) break;
                    if (!readable(spec)) unreadable.append(spec).append(' ');
                }
            shownDomains = AddressList.shownDomains(unreadable.toString());
        }
        return shownDomains;
    }

    /** Whether {@link #senders} takes the spec: an addr-spec that is an address. */
    private static boolean readable(String spec) {
        if (!AddressList.isAddrSpec(spec)) return false;
        try {
            Address.parse(spec);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void add(List<Address> out, String address) {
        try {
            out.add(Address.parse(address));
        } catch (RuntimeException e) {
            // not an address: nothing to compare (an unreadable address must not stop the organization's rules)
        }
    }

    /** The subject as words are looked for in it ({@link #comparable}), made once for every rule. */
    private String subjectWords() {
        if (subjectWords == null) subjectWords = comparable(content.header("Subject"));
        return subjectWords;
    }

    private String bodyWords() {
        if (bodyWords == null) bodyWords = comparable(content.text());
        return bodyWords;
    }

    /**
     * Text as words are compared: lower case, without the characters a reader does not see (Unicode's
     * Default_Ignorable_Code_Point, {@link AddressList#invisible}: format characters such as a soft hyphen, zero-width space and joiners and
     * bidi marks, the combining grapheme joiner, variation selectors, Hangul fillers, Mongolian selectors, tags),
     * so "inv&shy;oice" reads as invoice and must match it; and with each run of white space, no-break spaces
     * included, as one space, so a phrase matches however its words are spaced.
     */
    static String comparable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (AddressList.invisible(c)) continue;
            boolean blank = Character.isWhitespace(c) || Character.isSpaceChar(c);
            if (!blank) out.appendCodePoint(c);
            else if (!space) out.append(' ');
            space = blank;
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * EOP's "inside the organization": the sender's domain is one of the organization's accepted
     * domains and the message came over an authenticated or connector-attributed path, so a forged
     * From alone is never "inside".
     */
    private boolean senderInOrganization() {
        boolean trusted = message.internal() || message.origin() == QueuedMessage.Origin.ON_PREMISES
                || message.origin() == QueuedMessage.Origin.SUBMISSION;
        if (!trusted) return false;
        return senders().stream().anyMatch(a -> inOrganization(a.domain()));
    }

    private boolean inOrganization(Domain d) {
        return directory.acceptedDomainFor(d).map(a -> a.organizationId().equals(message.organizationId())).orElse(false);
    }

    private int scl() {
        var rules = findings.fact(Facts.MailFlowRules.class);
        if (rules.isPresent() && rules.get().scl() != null) return rules.get().scl();
        boolean allowed = findings.fact(Facts.Connection.class).map(Facts.Connection::allowListed).orElse(false);
        if (message.internal() || allowed) return -1;
        return findings.fact(Facts.Spam.class).map(Facts.Spam::scl).orElse(0);
    }

    /** TRUE when a pattern is found in a field, else UNKNOWN when one could not be tried to the end, else FALSE. */
    private Truth headerMatches(RulePredicates.HeaderPattern hp) {
        List<String> values = content.headers(hp.name());
        values = values.subList(0, Math.min(values.size(), MAX_HEADER_VALUES));
        Truth found = Truth.FALSE;
        for (String pattern : hp.patterns()) {
            Pattern compiled = RulePredicates.HeaderPattern.compile(pattern);
            for (String value : values) {
                Truth t = budget.find(compiled, value);
                if (t == Truth.TRUE) return t;
                if (t == Truth.UNKNOWN) found = t;
            }
        }
        return found;
    }

    private static boolean within(Domain d, List<String> domains) {
        for (Domain x = d; x != null; x = x.parent()) if (domains.contains(x.name())) return true;
        return false;
    }

    /**
     * The extension a mail client saves the file with: trailing dots, white space and controls are
     * dropped ("a.exe.", "a.exe ." are saved as a.exe), as is white space inside the extension.
     */
    static String extension(String filename) {
        int end = filename.length();
        while (end > 0 && (filename.charAt(end - 1) == '.' || Character.isWhitespace(filename.charAt(end - 1))
                || Character.isSpaceChar(filename.charAt(end - 1)) || Character.isISOControl(filename.charAt(end - 1)))) end--;
        String name = filename.substring(0, end);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).replaceAll("[\\s\\p{Zs}\\p{Cc}]", "").toLowerCase(Locale.ROOT);
    }

    /** Word or phrase match in {@link #comparable} text: the neighbours of a hit are not letters or digits. */
    static boolean containsAny(String t, List<String> words) {
        for (String w : words) {
            for (int at = t.indexOf(w); at >= 0; at = t.indexOf(w, at + 1)) {
                boolean before = at == 0 || !Character.isLetterOrDigit(t.charAt(at - 1));
                int end = at + w.length();
                boolean after = end == t.length() || !Character.isLetterOrDigit(t.charAt(end));
                if (before && after) return true;
            }
        }
        return false;
    }
}
