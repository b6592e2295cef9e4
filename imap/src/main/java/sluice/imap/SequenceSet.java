package sluice.imap;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence set (RFC 9051 section 9, sequence-set): numbers and ranges, {@code *} for the largest
 * number in use. A range may be written high:low. {@code n:*} with n past the largest still
 * contains the largest, as the RFC requires for UID sets.
 */
record SequenceSet(List<long[]> ranges) {

    private static final long STAR = -1;

    static SequenceSet parse(String s) {
        List<long[]> ranges = new ArrayList<>();
        if (s.isEmpty()) throw new ImapSyntaxException("empty sequence set");
        for (String part : s.split(",", -1)) {
            String[] ends = part.split(":", -1);
            if (ends.length > 2) throw new ImapSyntaxException("bad sequence range: " + part);
            long a = number(ends[0]);
            long b = ends.length == 2 ? number(ends[1]) : a;
            ranges.add(new long[]{a, b});
        }
        return new SequenceSet(List.copyOf(ranges));
    }

    private static long number(String s) {
        if (s.equals("*")) return STAR;
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9'))
            throw new ImapSyntaxException("bad sequence number: '" + s + "'");
        long n = Long.parseLong(s);
        if (n == 0 || n > 0xFFFF_FFFFL) throw new ImapSyntaxException("sequence numbers run from 1 to 4294967295, not " + s);
        return n;
    }

    static boolean looksLike(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == ':' || c == ',' || c == '*');
    }

    /**
     * The set with {@code *} read as {@code largest}, as sorted ranges that neither overlap nor touch:
     * a client may send thousands of entries ({@code 1,1,1,…}), and testing each message against each
     * entry cost seconds per command.
     */
    Resolved resolve(long largest) {
        long[][] sorted = new long[ranges.size()][];
        for (int i = 0; i < sorted.length; i++) {
            long a = ranges.get(i)[0] == STAR ? largest : ranges.get(i)[0];
            long b = ranges.get(i)[1] == STAR ? largest : ranges.get(i)[1];
            sorted[i] = new long[]{Math.min(a, b), Math.max(a, b)};
        }
        java.util.Arrays.sort(sorted, java.util.Comparator.comparingLong(r -> r[0]));
        long[] lows = new long[sorted.length], highs = new long[sorted.length];
        int n = 0;
        for (long[] r : sorted) {
            if (n > 0 && r[0] <= highs[n - 1] + 1) {
                highs[n - 1] = Math.max(highs[n - 1], r[1]);
            } else {
                lows[n] = r[0];
                highs[n++] = r[1];
            }
        }
        return new Resolved(java.util.Arrays.copyOf(lows, n), java.util.Arrays.copyOf(highs, n));
    }

    /** Ranges {@code lows[i]..highs[i]}, ascending, apart from each other; see {@link #resolve}. */
    record Resolved(long[] lows, long[] highs) {

        /** True when {@code n} is in one of the ranges: a binary search for the last range starting at or below it. */
        boolean contains(long n) {
            int i = java.util.Arrays.binarySearch(lows, n);
            if (i < 0) i = -i - 2; // the range before the insertion point
            return i >= 0 && n <= highs[i];
        }
    }

    /** UIDs as a compact set for COPYUID (RFC 4315): ascending runs as ranges, in the order given. */
    static String format(java.util.Collection<Long> numbers) {
        StringBuilder b = new StringBuilder();
        long start = -1, last = -1;
        for (long n : numbers) {
            if (start >= 0 && n == last + 1) {
                last = n;
                continue;
            }
            if (start >= 0) b.append(range(start, last)).append(',');
            start = last = n;
        }
        if (start >= 0) b.append(range(start, last));
        return b.toString();
    }

    private static String range(long start, long last) {
        return start == last ? String.valueOf(start) : start + ":" + last;
    }
}
