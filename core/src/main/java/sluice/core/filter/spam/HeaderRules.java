package sluice.core.filter.spam;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules on the top-level header: missing or implausible Date and Message-ID, forged-looking
 * Received lines, From display names that carry another address, Reply-To elsewhere, and
 * all-capitals subjects.
 *
 * <p>Dates are judged against the time the message was received, taken from the topmost
 * Received header (added by us or by the hop that handed it to us) and only when there is none
 * from the clock; this keeps the verdict a function of the message, so re-scoring a stored
 * message — or a 2002 corpus — gives the same answer as at arrival.
 */
final class HeaderRules {

    private static final Duration FUTURE_SLACK = Duration.ofHours(24);
    private static final Duration PAST_SLACK = Duration.ofHours(96);
    private static final Pattern RECEIVED_FROM = Pattern.compile(
            "(?i)^\\s*from\\s+(\\S+)\\s+\\(([^)]*)\\)");
    private static final Pattern BRACKET_IP = Pattern.compile("\\[(\\d{1,3}(?:\\.\\d{1,3}){3})\\]");
    private static final Pattern IP = Pattern.compile("\\[?(\\d{1,3}(?:\\.\\d{1,3}){3})\\]?");
    /** Big freemail providers spammers like to name in a HELO from elsewhere. */
    private static final Set<String> FREEMAIL = Set.of("hotmail.com", "yahoo.com", "aol.com", "msn.com",
            "gmail.com", "outlook.com", "excite.com");

    private HeaderRules() {
    }

    static void evaluate(ParsedMessage m, Instant clockNow, Consumer<RuleHit> hits) {
        List<String> received = m.headers("Received");
        Instant reference = received.isEmpty() ? null : MailDates.ofReceived(received.getFirst());
        if (reference == null) {
            reference = clockNow;
        }
        dates(m.header("Date"), reference, hits);
        String messageId = m.header("Message-ID");
        if (messageId == null || messageId.isBlank()) {
            hits.accept(new RuleHit(Rule.MISSING_MESSAGE_ID, "no Message-ID"));
        }
        for (String r : received.subList(0, Math.min(received.size(), 10))) {
            String forged = forgedReceived(r);
            if (forged != null) {
                hits.accept(new RuleHit(Rule.FORGED_RECEIVED, forged));
                break;
            }
        }
        fromAndReplyTo(m.header("From"), m.header("Reply-To"), hits);
        allCapsSubject(m.header("Subject"), hits);
    }

    private static void dates(String date, Instant reference, Consumer<RuleHit> hits) {
        if (date == null || date.isBlank()) {
            hits.accept(new RuleHit(Rule.MISSING_DATE, "no Date"));
            return;
        }
        Instant sent = MailDates.parse(date);
        if (sent == null) {
            return;
        }
        if (sent.isAfter(reference.plus(FUTURE_SLACK))) {
            hits.accept(new RuleHit(Rule.DATE_IN_FUTURE,
                    "Date " + Duration.between(reference, sent).toHours() + " h after receipt"));
        } else if (sent.isBefore(reference.minus(PAST_SLACK))) {
            hits.accept(new RuleHit(Rule.DATE_IN_PAST,
                    "Date " + Duration.between(sent, reference).toHours() + " h before receipt"));
        }
    }

    /**
     * A description of the contradiction, or null: a HELO that is an IP literal other than the
     * connecting address, or a HELO naming a big freemail provider from a host outside it.
     */
    static String forgedReceived(String received) {
        Matcher from = RECEIVED_FROM.matcher(received);
        if (!from.find()) {
            return null;
        }
        String helo = from.group(1).toLowerCase(Locale.ROOT);
        String comment = from.group(2).toLowerCase(Locale.ROOT);
        Matcher connecting = BRACKET_IP.matcher(comment);
        if (!connecting.find()) {
            return null;
        }
        Matcher heloIp = IP.matcher(helo);
        if (heloIp.matches() && !heloIp.group(1).equals(connecting.group(1))) {
            return "HELO " + helo + " from " + connecting.group(1);
        }
        String heloDomain = Urls.registrableDomain(helo);
        if (FREEMAIL.contains(heloDomain)) {
            String rdns = comment.substring(0, connecting.start()).strip();
            int space = rdns.lastIndexOf(' ');
            rdns = space < 0 ? rdns : rdns.substring(space + 1);
            if (!rdns.endsWith(heloDomain)) {
                return "HELO " + helo + " from " + (rdns.isEmpty() ? connecting.group(1) : rdns);
            }
        }
        return null;
    }

    private static void fromAndReplyTo(String from, String replyTo, Consumer<RuleHit> hits) {
        String fromDomain = Urls.addressDomain(from);
        if (from != null && from.indexOf('<') > 0) {
            String named = domainOfFirstAddress(from.substring(0, from.indexOf('<')));
            if (named != null && fromDomain != null
                    && !Urls.registrableDomain(named.toLowerCase(Locale.ROOT)).equals(Urls.registrableDomain(fromDomain))) {
                hits.accept(new RuleHit(Rule.FROM_NAME_HAS_ADDRESS, "name says " + named.toLowerCase(Locale.ROOT)
                        + ", address is at " + fromDomain));
            }
        }
        String replyDomain = Urls.addressDomain(replyTo);
        if (fromDomain != null && replyDomain != null
                && !Urls.registrableDomain(fromDomain).equals(Urls.registrableDomain(replyDomain))) {
            hits.accept(new RuleHit(Rule.REPLYTO_OTHER_DOMAIN, "From " + fromDomain + ", Reply-To " + replyDomain));
        }
    }

    /**
     * The domain of the first address-like text in {@code s}, or null: what the model was trained with,
     * {@code [\w.+-]+@([\w-]+(?:\.[\w-]+)+)} found with {@code find()}, in one pass. The pattern
     * retried every word character of a long name up to its end: 16,000 of them (the longest field the
     * parser keeps) cost most of a second per message.
     */
    static String domainOfFirstAddress(String s) {
        for (int at = s.indexOf('@'); at >= 0; at = s.indexOf('@', at + 1)) {
            if (at == 0 || !isLocalChar(s.charAt(at - 1))) continue;
            int end = labelEnd(s, at + 1);
            if (end == at + 1) continue;
            int labels = 0;
            while (end + 1 < s.length() && s.charAt(end) == '.' && labelEnd(s, end + 1) > end + 1) {
                end = labelEnd(s, end + 1);
                labels++;
            }
            if (labels > 0) return s.substring(at + 1, end);
        }
        return null;
    }

    /** Where the run of {@code [\w-]} starting at {@code from} ends. */
    private static int labelEnd(String s, int from) {
        int i = from;
        while (i < s.length() && (isWordChar(s.charAt(i)) || s.charAt(i) == '-')) i++;
        return i;
    }

    private static boolean isLocalChar(char c) {
        return isWordChar(c) || c == '.' || c == '+' || c == '-';
    }

    /** {@code \w} as java.util.regex reads it without UNICODE_CHARACTER_CLASS: ASCII only. */
    private static boolean isWordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private static void allCapsSubject(String subject, Consumer<RuleHit> hits) {
        if (subject == null) {
            return;
        }
        int upper = 0;
        int lower = 0;
        for (int i = 0; i < subject.length(); i++) {
            char c = subject.charAt(i);
            if (Character.isUpperCase(c)) {
                upper++;
            } else if (Character.isLowerCase(c)) {
                lower++;
            }
        }
        // Short subjects ("RE: FYI", "URGENT") are caps often enough in real mail to stay quiet.
        if (lower == 0 && upper >= 10) {
            hits.accept(new RuleHit(Rule.SUBJECT_ALL_CAPS, upper + " capitals, no lower case"));
        }
    }
}
