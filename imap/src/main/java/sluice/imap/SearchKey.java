package sluice.imap;

import org.apache.james.mime4j.codec.DecoderUtil;
import sluice.core.mailbox.MailboxFolders.Flag;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;

/**
 * A SEARCH program (RFC 9051 section 6.4.4): keys in a list are ANDed; NOT, OR and parentheses
 * combine them. Dates compare the internal date's day in UTC. Text keys match a case-insensitive
 * substring of the header value after RFC 2047 decoding, or of the raw message for BODY and TEXT.
 * {@link SearchProgram} reads a program.
 */
sealed interface SearchKey {

    /** What a key is tested against; {@code message} is read only when a key needs the content. */
    record Candidate(long seq, long uid, Entry entry, StoredMessage message) {
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

    /** A sequence set or UID set, resolved against the selected folder when the program was read. */
    record InSet(SequenceSet.Resolved set, boolean uid) implements SearchKey {
        public boolean matches(Candidate c) {
            return set.contains(uid ? c.uid() : c.seq());
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
            for (MimePart.Header h : c.message().header().headers()) {
                if (h.name().equalsIgnoreCase(field)
                        && DecoderUtil.decodeEncodedWords(h.value(), org.apache.james.mime4j.codec.DecodeMonitor.SILENT).toLowerCase(Locale.ROOT).contains(needle)) return true;
            }
            return false;
        }
    }

    /** BODY (the body only) or TEXT (header and body) contains {@code text}, compared as {@link StoredMessage#lower} has it. */
    record TextContains(String text, boolean withHeader) implements SearchKey {
        public TextContains {
            text = StoredMessage.lower(text);
        }

        public boolean matches(Candidate c) {
            return c.message().textContains(text, withHeader);
        }
    }
}
