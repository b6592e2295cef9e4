package sluice.core.filter.spam;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules for traits of bulk spam that do not depend on its vocabulary, so they keep working when
 * the wording changes (the statistical model only knows the words of its training spam): headers
 * written by bulk-mail software rather than by a mail client (impossible time zones), mail sent
 * straight from a dial-up or broadband address, and sales language in the subject and body
 * (exclamation marks, shouting, "remove" instructions).
 * Each check is a single pass over a header or over the text; nothing is quadratic.
 */
final class TraitRules {

    /** The zone at the end of a Date header: a numeric offset, or a word. */
    private static final Pattern DATE_ZONE = Pattern.compile(
            "\\d{1,2}:\\d{2}(?::\\d{2})?\\s*(?:([+-])(\\d{2})(\\d{2})|([A-Za-z][A-Za-z ]*))?\\s*(?:\\(.*\\))?\\s*$");
    private static final Set<String> ZONE_NAMES = Set.of("UT", "UTC", "GMT", "EST", "EDT", "CST",
            "CDT", "MST", "MDT", "PST", "PDT", "Z");
    /** An IPv4 address written into a host name (dotted, dashed or packed), the mark of a pool address. */
    private static final Pattern IP_IN_NAME = Pattern.compile(
            "\\d{1,3}[.-]\\d{1,3}[.-]\\d{1,3}[.-]\\d{1,3}|(?:dsl|dial|ppp|pool|cable|dyn|dhcp|modem|adsl|client)");
    private static final Pattern RECEIVED_FROM = Pattern.compile(
            "(?i)^\\s*from\\s+\\S+\\s+\\(([^)]*)\\)");

    private TraitRules() {
    }

    static void evaluate(ParsedMessage m, Consumer<RuleHit> hits) {
        dateZone(m.header("Date"), hits);
        subjectExclaim(m.header("Subject"), hits);
        dynamicOrigin(m.headers("Received"), hits);
        body(m.text(), hits);
    }

    /**
     * A numeric offset beyond ±14 hours or with odd minutes, or a zone word that is not one of
     * RFC 5322's: no mail client writes these, bulk-mail scripts with a broken clock template do.
     */
    static void dateZone(String date, Consumer<RuleHit> hits) {
        if (date == null) {
            return;
        }
        Matcher z = DATE_ZONE.matcher(date);
        if (!z.find()) {
            return;
        }
        if (z.group(1) != null) {
            int hours = Integer.parseInt(z.group(2));
            int minutes = Integer.parseInt(z.group(3));
            if (hours > 14 || (minutes != 0 && minutes != 30 && minutes != 45)) {
                hits.accept(new RuleHit(Rule.DATE_BAD_ZONE, "zone " + z.group(1) + z.group(2) + z.group(3)));
            }
        } else if (z.group(4) != null) {
            String word = z.group(4).strip();
            if (!ZONE_NAMES.contains(word.toUpperCase(Locale.ROOT)) && word.length() != 1) {
                hits.accept(new RuleHit(Rule.DATE_BAD_ZONE, "zone " + (word.length() > 20 ? word.substring(0, 20) : word)));
            }
        } else {
            hits.accept(new RuleHit(Rule.DATE_BAD_ZONE, "no zone"));
        }
    }

    /** Two or more exclamation marks in the subject. */
    static void subjectExclaim(String subject, Consumer<RuleHit> hits) {
        if (subject == null) {
            return;
        }
        int bangs = 0;
        for (int i = 0; i < subject.length(); i++) {
            bangs += subject.charAt(i) == '!' ? 1 : 0;
        }
        if (bangs >= 2) {
            hits.accept(new RuleHit(Rule.SUBJECT_EXCLAIM, bangs + " exclamation marks"));
        }
    }

    /**
     * The first hop (the lowest Received header that names a connecting host) came from an address
     * whose reverse name is a dial-up, DSL or cable pool (an address or a pool word in the name): the
     * message went straight from an end-user machine to a mail server, skipping its provider's.
     */
    static void dynamicOrigin(List<String> received, Consumer<RuleHit> hits) {
        for (int i = received.size() - 1; i >= 0; i--) {
            Matcher from = RECEIVED_FROM.matcher(received.get(i));
            if (!from.find()) {
                continue;
            }
            String comment = from.group(1).toLowerCase(Locale.ROOT);
            int bracket = comment.indexOf('[');
            if (bracket < 0) {
                continue;
            }
            String ip = comment.substring(bracket + 1, Math.max(bracket + 1, comment.indexOf(']', bracket)));
            if (ip.startsWith("127.") || ip.startsWith("10.") || ip.startsWith("192.168.") || ip.isEmpty()) {
                continue;
            }
            String rdns = comment.substring(0, bracket).strip();
            int space = rdns.lastIndexOf(' ');
            rdns = space < 0 ? rdns : rdns.substring(space + 1);
            if (IP_IN_NAME.matcher(rdns).find()) {
                hits.accept(new RuleHit(Rule.RECEIVED_DYNAMIC, rdns));
            }
            return;
        }
    }

    /** Sales language in the text: runs of exclamation marks, shouting, remove instructions. */
    static void body(String text, Consumer<RuleHit> hits) {
        int bangRuns = 0;
        int words = 0;
        int capsWords = 0;
        int letters = 0;
        int upper = 0;
        int n = Math.min(text.length(), 64 * 1024);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '!' && i + 1 < n && text.charAt(i + 1) == '!' && (i == 0 || text.charAt(i - 1) != '!')) {
                bangRuns++;
            }
            if (Character.isLetter(c)) {
                {
                    // the start of a word (the loop jumps over whole words): measure it
                    int j = i;
                    int u = 0;
                    while (j < n && Character.isLetter(text.charAt(j))) {
                        if (Character.isUpperCase(text.charAt(j))) {
                            u++;
                        }
                        j++;
                    }
                    int len = j - i;
                    if (len >= 4) {
                        words++;
                        if (u == len) {
                            capsWords++;
                        }
                    }
                    letters += len;
                    upper += u;
                    i = j - 1;
                }
            }
        }
        if (bangRuns >= 3) {
            hits.accept(new RuleHit(Rule.BODY_EXCLAIM, bangRuns + " runs of exclamation marks"));
        }
        if (words >= 40 && capsWords * 10 >= words) {
            hits.accept(new RuleHit(Rule.BODY_SHOUTING, capsWords + " of " + words + " words in capitals"));
        }
        if (removeInstructions(text, n)) {
            hits.accept(new RuleHit(Rule.REMOVE_INSTRUCTIONS, "asks to reply or write \"remove\" to stop"));
        }
    }

    /**
     * Asking for a reply or a mail with "remove" (in the subject) instead of offering an
     * unsubscribe link or list command: the bulk mailer has no list to take anyone off.
     */
    private static final Pattern REMOVE = Pattern.compile(
            "(?i)\\b(?:(?:reply|respond|send|e-?mail|write)\\b[^.\\n]{0,40}\\bremove\\b"
                    + "|remove\\W{0,3}\\s(?:in|as|on) the subject)");

    private static boolean removeInstructions(String text, int n) {
        // A cheap gate first: the regex only runs near the word.
        String lower = text.length() > n ? text.substring(0, n) : text;
        int at = indexOfIgnoreCase(lower, "remove");
        if (at < 0) {
            return false;
        }
        int from = Math.max(0, at - 200);
        return REMOVE.matcher(lower.substring(from, Math.min(lower.length(), from + 8000))).find();
    }

    private static int indexOfIgnoreCase(String s, String needle) {
        for (int i = 0; i <= s.length() - needle.length(); i++) {
            if (s.regionMatches(true, i, needle, 0, needle.length())) {
                return i;
            }
        }
        return -1;
    }
}
