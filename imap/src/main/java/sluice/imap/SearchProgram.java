package sluice.imap;

import sluice.core.mailbox.MailboxFolders.Flag;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a SEARCH program (RFC 9051 section 6.4.4) into a {@link SearchKey}, its sequence and UID
 * sets resolved against the selected folder as it is now. A program is tested against every
 * message, so its size is capped: at most {@link #MAX_KEYS} keys (each text key scans each message)
 * and {@link #MAX_DEPTH} levels of parentheses, NOT and OR (each level is a frame of the parser's
 * stack; ten thousand parentheses overflowed it and ended the session).
 */
final class SearchProgram {

    /** Keys in one program, counting each parenthesised list, NOT and OR; real clients send a few dozen at most. */
    static final int MAX_KEYS = 100;
    /** Levels of nesting in one program. */
    static final int MAX_DEPTH = 64;

    private static final DateTimeFormatter DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-yyyy").toFormatter(Locale.ENGLISH);

    private final Args a;
    private final long largestSeq;
    private final long largestUid;
    private int keys;

    private SearchProgram(Args a, long largestSeq, long largestUid) {
        this.a = a;
        this.largestSeq = largestSeq;
        this.largestUid = largestUid;
    }

    /** The whole program after SEARCH (and an optional CHARSET, already consumed); {@code *} means the largest number in use. */
    static SearchKey parse(Args a, long largestSeq, long largestUid) {
        SearchProgram p = new SearchProgram(a, largestSeq, largestUid);
        List<SearchKey> keys = new ArrayList<>();
        keys.add(p.key(0));
        while (!a.atEnd()) {
            a.sp();
            keys.add(p.key(0));
        }
        return keys.size() == 1 ? keys.getFirst() : new SearchKey.All(keys);
    }

    private SearchKey key(int depth) {
        if (++keys > MAX_KEYS) throw new ImapLimitException("at most " + MAX_KEYS + " search keys in one SEARCH");
        if (depth > MAX_DEPTH)
            throw new ImapLimitException("search keys may be nested at most " + MAX_DEPTH + " deep (parentheses, NOT and OR)");
        if (a.accept('(')) {
            List<SearchKey> list = new ArrayList<>();
            while (!a.accept(')')) {
                if (a.atEnd()) throw new ImapSyntaxException("unterminated parenthesised search");
                if (!list.isEmpty()) a.sp();
                list.add(key(depth + 1));
            }
            if (list.isEmpty()) throw new ImapSyntaxException("empty parenthesised search");
            return new SearchKey.All(list);
        }
        String word = a.token();
        if (SequenceSet.looksLike(word)) return new SearchKey.InSet(SequenceSet.parse(word).resolve(largestSeq), false);
        String key = Args.upper(word);
        return switch (key) {
            case "ALL" -> new SearchKey.Constant(true);
            case "NEW", "RECENT" -> new SearchKey.Constant(false); // \Recent is not kept: no message is recent
            case "OLD" -> new SearchKey.Constant(true);
            case "SEEN" -> new SearchKey.HasFlag(Flag.SEEN, true);
            case "UNSEEN" -> new SearchKey.HasFlag(Flag.SEEN, false);
            case "ANSWERED" -> new SearchKey.HasFlag(Flag.ANSWERED, true);
            case "UNANSWERED" -> new SearchKey.HasFlag(Flag.ANSWERED, false);
            case "DELETED" -> new SearchKey.HasFlag(Flag.DELETED, true);
            case "UNDELETED" -> new SearchKey.HasFlag(Flag.DELETED, false);
            case "FLAGGED" -> new SearchKey.HasFlag(Flag.FLAGGED, true);
            case "UNFLAGGED" -> new SearchKey.HasFlag(Flag.FLAGGED, false);
            case "DRAFT" -> new SearchKey.HasFlag(Flag.DRAFT, true);
            case "UNDRAFT" -> new SearchKey.HasFlag(Flag.DRAFT, false);
            case "KEYWORD" -> { arg(); yield new SearchKey.Constant(false); } // no keywords are kept
            case "UNKEYWORD" -> { arg(); yield new SearchKey.Constant(true); }
            case "FROM", "TO", "CC", "BCC", "SUBJECT" -> new SearchKey.HeaderContains(key.charAt(0) + key.substring(1).toLowerCase(Locale.ROOT), arg());
            case "HEADER" -> {
                String field = arg();
                yield new SearchKey.HeaderContains(field, arg());
            }
            case "BODY" -> new SearchKey.TextContains(arg(), false);
            case "TEXT" -> new SearchKey.TextContains(arg(), true);
            case "BEFORE" -> new SearchKey.Date(date(), -1);
            case "ON" -> new SearchKey.Date(date(), 0);
            case "SINCE" -> new SearchKey.Date(date(), 1);
            case "LARGER" -> { a.sp(); yield new SearchKey.Size(a.number(), true); }
            case "SMALLER" -> { a.sp(); yield new SearchKey.Size(a.number(), false); }
            case "UID" -> { a.sp(); yield new SearchKey.InSet(SequenceSet.parse(a.token()).resolve(largestUid), true); }
            case "NOT" -> { a.sp(); yield new SearchKey.Not(key(depth + 1)); }
            case "OR" -> {
                a.sp();
                SearchKey first = key(depth + 1);
                a.sp();
                yield new SearchKey.Or(first, key(depth + 1));
            }
            default -> throw new ImapSyntaxException("unknown search key " + word);
        };
    }

    private String arg() {
        a.sp();
        return a.astring();
    }

    private LocalDate date() {
        String s = arg();
        try {
            return LocalDate.parse(s, DATE);
        } catch (DateTimeParseException e) {
            throw new ImapSyntaxException("dates are written like 1-Feb-2025, not " + s);
        }
    }
}
