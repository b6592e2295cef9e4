package sluice.core.rule;

import sluice.core.mail.Address;
import sluice.core.mail.Domain;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The predicates of a rule, used both as its conditions (all given ones must match) and as its
 * exceptions (any given one matching skips the rule). Names are EOP's. An empty list or null means
 * "not given". Addresses and domains are kept in their look-up form (lower case).
 *
 * @param fromAddresses                   the sender is one of these (envelope sender or From header)
 * @param senderDomainIs                  the sender's domain is one of these (or a subdomain)
 * @param recipientAddresses              a recipient is one of these
 * @param recipientDomainIs               a recipient's domain is one of these (or a subdomain)
 * @param fromScope                       the sender is inside or outside the organization (its accepted domains)
 * @param sentToScope                     a recipient is inside or outside the organization
 * @param subjectContainsWords            the Subject contains one of these words or phrases (case-insensitive)
 * @param subjectOrBodyContainsWords      the Subject or the decoded text body contains one of these
 * @param headerMatchesPatterns           the named header field matches one of the regular expressions
 * @param attachmentExtensionMatchesWords an attachment's file name extension is one of these
 * @param sclOver                         the spam confidence level is this or higher (EOP's SCLOver); evaluated after anti-spam
 */
public record RulePredicates(List<String> fromAddresses, List<String> senderDomainIs, List<String> recipientAddresses,
                             List<String> recipientDomainIs, Scope fromScope, Scope sentToScope,
                             List<String> subjectContainsWords, List<String> subjectOrBodyContainsWords,
                             HeaderPattern headerMatchesPatterns, List<String> attachmentExtensionMatchesWords,
                             Integer sclOver) {

    public static final RulePredicates NONE = new RulePredicates(null, null, null, null, null, null, null, null, null, null, null);

    /** More entries would be a configuration mistake; each costs work on every message. */
    static final int MAX_LIST = 1000;
    /** Longer patterns are where catastrophic backtracking hides; EOP caps them too. */
    public static final int MAX_PATTERN_LENGTH = 128;
    static final int MAX_PATTERNS = 20;

    public enum Scope { IN_ORGANIZATION, NOT_IN_ORGANIZATION }

    /** A header field name and regular expressions (Java syntax, case-insensitive) for its decoded value. */
    public record HeaderPattern(String name, List<String> patterns) {
        public HeaderPattern {
            if (name == null || !name.matches("[!-9;-~]{1,76}")) throw new IllegalArgumentException("headerMatchesPatterns: bad header name " + name);
            if (patterns == null || patterns.isEmpty()) throw new IllegalArgumentException("headerMatchesPatterns needs at least one pattern");
            if (patterns.size() > MAX_PATTERNS) throw new IllegalArgumentException("headerMatchesPatterns: at most " + MAX_PATTERNS + " patterns");
            patterns = List.copyOf(patterns);
            for (String p : patterns) compile(p);
        }

        static Pattern compile(String p) {
            if (p == null || p.isEmpty()) throw new IllegalArgumentException("headerMatchesPatterns: empty pattern");
            if (p.length() > MAX_PATTERN_LENGTH)
                throw new IllegalArgumentException("headerMatchesPatterns: a pattern may have at most " + MAX_PATTERN_LENGTH + " characters");
            try {
                return Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("headerMatchesPatterns: not a regular expression: " + e.getDescription()
                        + " near index " + e.getIndex() + " of " + p);
            }
        }
    }

    public RulePredicates {
        fromAddresses = list("fromAddresses", fromAddresses, a -> Address.parse(a.strip()).key());
        senderDomainIs = list("senderDomainIs", senderDomainIs, d -> Domain.of(d.strip()).name());
        recipientAddresses = list("recipientAddresses", recipientAddresses, a -> Address.parse(a.strip()).key());
        recipientDomainIs = list("recipientDomainIs", recipientDomainIs, d -> Domain.of(d.strip()).name());
        subjectContainsWords = list("subjectContainsWords", subjectContainsWords, RulePredicates::word);
        subjectOrBodyContainsWords = list("subjectOrBodyContainsWords", subjectOrBodyContainsWords, RulePredicates::word);
        attachmentExtensionMatchesWords = list("attachmentExtensionMatchesWords", attachmentExtensionMatchesWords,
                e -> word(e).replaceFirst("^\\.", ""));
        if (sclOver != null && (sclOver < -1 || sclOver > 9)) throw new IllegalArgumentException("sclOver must be between -1 and 9");
    }

    /** True when nothing is given: as conditions, every message matches; as exceptions, none skips. */
    public boolean isEmpty() {
        return this.equals(NONE);
    }

    private static List<String> list(String field, List<String> values, UnaryOperator<String> normalize) {
        if (values == null || values.isEmpty()) return List.of();
        if (values.size() > MAX_LIST) throw new IllegalArgumentException(field + " may have at most " + MAX_LIST + " entries");
        return values.stream().map(v -> {
            if (v == null || v.isBlank()) throw new IllegalArgumentException(field + ": entries must not be empty");
            try {
                return normalize.apply(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + ": " + e.getMessage());
            }
        }).distinct().toList();
    }

    /**
     * Whether {@code word} has a character a reader sees (and word matching compares). Rules stored before
     * words were checked may have one without: such a word can never match, and is dropped when loaded.
     */
    public static boolean visible(String word) {
        return word != null && !Candidate.comparable(word).isBlank();
    }

    private static String word(String w) {
        String s = Candidate.comparable(w).strip();
        if (s.isBlank()) throw new IllegalArgumentException("a word or phrase must have a visible character");
        if (s.length() > 256) throw new IllegalArgumentException("a word or phrase may have at most 256 characters");
        return s;
    }
}
