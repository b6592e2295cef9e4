package sluice.imap;

import org.apache.james.mime4j.codec.DecoderUtil;
import sluice.core.mailbox.MailboxFolders.Flag;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A SEARCH program (RFC 9051 section 6.4.4): keys in a list are ANDed; NOT, OR and parentheses
 * combine them. Dates compare the internal date's day in UTC. Text keys match a case-insensitive
 * substring of the header value after RFC 2047 decoding, or of the raw message for BODY and TEXT.
 */
sealed interface SearchKey {

    /** What a key is tested against; {@code message} is read only when a key needs the content. */
    record Candidate(long seq, long uid, long largestSeq, long largestUid, Entry entry, Supplier<MimePart> message) {
    }

    /** The part of a folder entry a search needs. */
    record Entry(java.util.Set<Flag> flags, long size, java.time.Instant receivedAt) {
    }

    boolean matches(Candidate c);

    record All(List<SearchKey> keys) implements SearchKey {
        public boolean matches(Candidate c) {
            for (SearchKey k : keys) if (!k.matches(c)) return false;
            return true;
        }
    }

    record Not(SearchKey key) implements SearchKey {
        public boolean matches(Candidate c) { return !key.matches(c); }
    }

    record Or(SearchKey a, SearchKey b) implements SearchKey {
        public boolean matches(Candidate c) { return a.matches(c) || b.matches(c); }
    }

    record HasFlag(Flag flag, boolean set) implements SearchKey {
        public boolean matches(Candidate c) { return c.entry().flags().contains(flag) == set; }
    }

    record Constant(boolean value) implements SearchKey {
        public boolean matches(Candidate c) { return value; }
    }

    record InSet(SequenceSet set, boolean uid) implements SearchKey {
        public boolean matches(Candidate c) {
            return uid ? set.contains(c.uid(), c.largestUid()) : set.contains(c.seq(), c.largestSeq());
        }
    }

    record Size(long octets, boolean larger) implements SearchKey {
        public boolean matches(Candidate c) { return larger ? c.entry().size() > octets : c.entry().size() < octets; }
    }

    /** BEFORE (-1), ON (0), SINCE (+1) on the internal date. */
    record Date(LocalDate day, int relation) implements SearchKey {
        public boolean matches(Candidate c) {
            int cmp = c.entry().receivedAt().atZone(ZoneOffset.UTC).toLocalDate().compareTo(day);
            return relation < 0 ? cmp < 0 : relation == 0 ? cmp == 0 : cmp >= 0;
        }
    }

    /** A header field contains {@code text}; an empty text matches any message that has the field. */
    record HeaderContains(String field, String text) implements SearchKey {
        public boolean matches(Candidate c) {
            String needle = text.toLowerCase(Locale.ROOT);
            for (MimePart.Header h : c.message().get().headers()) {
                if (h.name().equalsIgnoreCase(field)
                        && DecoderUtil.decodeEncodedWords(h.value(), org.apache.james.mime4j.codec.DecodeMonitor.SILENT).toLowerCase(Locale.ROOT).contains(needle)) return true;
            }
            return false;
        }
    }

    /** BODY (the body only) or TEXT (header and body) contains {@code text}. */
    record TextContains(String text, boolean withHeader) implements SearchKey {
        public boolean matches(Candidate c) {
            MimePart m = c.message().get();
            int from = withHeader ? 0 : m.bodyStart();
            String hay = new String(m.raw(), from, m.raw().length - from, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            return hay.contains(text.toLowerCase(Locale.ROOT));
        }
    }

    DateTimeFormatter DATE = new java.time.format.DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-yyyy").toFormatter(Locale.ENGLISH);

    /** The whole program after SEARCH (and an optional CHARSET, already consumed). */
    static SearchKey parseProgram(Args a) {
        List<SearchKey> keys = new ArrayList<>();
        keys.add(parse(a));
        while (!a.atEnd()) {
            a.sp();
            keys.add(parse(a));
        }
        return keys.size() == 1 ? keys.getFirst() : new All(keys);
    }

    private static SearchKey parse(Args a) {
        if (a.accept('(')) {
            List<SearchKey> keys = new ArrayList<>();
            while (!a.accept(')')) {
                if (a.atEnd()) throw new ImapSyntaxException("unterminated parenthesised search");
                if (!keys.isEmpty()) a.sp();
                keys.add(parse(a));
            }
            if (keys.isEmpty()) throw new ImapSyntaxException("empty parenthesised search");
            return new All(keys);
        }
        String word = a.token();
        if (SequenceSet.looksLike(word)) return new InSet(SequenceSet.parse(word), false);
        String key = Args.upper(word);
        return switch (key) {
            case "ALL" -> new Constant(true);
            case "NEW", "RECENT" -> new Constant(false); // \Recent is not kept: no message is recent
            case "OLD" -> new Constant(true);
            case "SEEN" -> new HasFlag(Flag.SEEN, true);
            case "UNSEEN" -> new HasFlag(Flag.SEEN, false);
            case "ANSWERED" -> new HasFlag(Flag.ANSWERED, true);
            case "UNANSWERED" -> new HasFlag(Flag.ANSWERED, false);
            case "DELETED" -> new HasFlag(Flag.DELETED, true);
            case "UNDELETED" -> new HasFlag(Flag.DELETED, false);
            case "FLAGGED" -> new HasFlag(Flag.FLAGGED, true);
            case "UNFLAGGED" -> new HasFlag(Flag.FLAGGED, false);
            case "DRAFT" -> new HasFlag(Flag.DRAFT, true);
            case "UNDRAFT" -> new HasFlag(Flag.DRAFT, false);
            case "KEYWORD" -> { arg(a); yield new Constant(false); } // no keywords are kept
            case "UNKEYWORD" -> { arg(a); yield new Constant(true); }
            case "FROM", "TO", "CC", "BCC", "SUBJECT" -> new HeaderContains(key.charAt(0) + key.substring(1).toLowerCase(Locale.ROOT), arg(a));
            case "HEADER" -> {
                String field = arg(a);
                yield new HeaderContains(field, arg(a));
            }
            case "BODY" -> new TextContains(arg(a), false);
            case "TEXT" -> new TextContains(arg(a), true);
            case "BEFORE" -> new Date(date(a), -1);
            case "ON" -> new Date(date(a), 0);
            case "SINCE" -> new Date(date(a), 1);
            case "LARGER" -> { a.sp(); yield new Size(a.number(), true); }
            case "SMALLER" -> { a.sp(); yield new Size(a.number(), false); }
            case "UID" -> { a.sp(); yield new InSet(SequenceSet.parse(a.token()), true); }
            case "NOT" -> { a.sp(); yield new Not(parse(a)); }
            case "OR" -> {
                a.sp();
                SearchKey first = parse(a);
                a.sp();
                yield new Or(first, parse(a));
            }
            default -> throw new ImapSyntaxException("unknown search key " + word);
        };
    }

    private static String arg(Args a) {
        a.sp();
        return a.astring();
    }

    private static LocalDate date(Args a) {
        String s = arg(a);
        try {
            return LocalDate.parse(s, DATE);
        } catch (DateTimeParseException e) {
            throw new ImapSyntaxException("dates are written like 1-Feb-2025, not " + s);
        }
    }
}
