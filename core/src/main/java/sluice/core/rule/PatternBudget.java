package sluice.core.rule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.Fact;

import java.util.function.LongSupplier;

/**
 * The time header patterns may take for one message, across all its rules and both rule phases
 * ({@link #NANOS} in all): a pathological pattern must not hold the SMTP dialogue, however many
 * rules or header fields it is tried on. Once spent, a pattern's answer is {@link Truth#UNKNOWN}, as is that of
 * the pattern that spent it (stopped midway); {@link Candidate} decides what an unknown answer means for a rule. A
 * pattern that recurses past the thread's stack on a value (a group repeated per character, as in
 * {@code (\w|\.)+}, on a few thousand characters) spends the budget the same way: it would overflow again on the
 * next field.
 */
final class PatternBudget implements Fact {

    private static final Logger LOG = LoggerFactory.getLogger(PatternBudget.class);
    static final long NANOS = 200_000_000L;

    private final LongSupplier ticker;
    private long remaining = NANOS;
    private boolean failedClosed;

    PatternBudget(LongSupplier ticker) {
        this.ticker = ticker;
    }

    boolean spent() {
        return remaining <= 0;
    }

    /**
     * True the first time a rule of the message applies only because a pattern could not be evaluated, so that
     * the log says it once per message (both rule phases share the budget).
     */
    boolean firstFailedClosed() {
        boolean first = !failedClosed;
        failedClosed = true;
        return first;
    }

    /**
     * Whether {@code pattern} is found in {@code value} within what is left: UNKNOWN once the budget is spent, and when
     * the search is stopped for spending it. A search that finished is answered, even if it spent the rest.
     */
    Truth find(java.util.regex.Pattern pattern, String value) {
        if (spent()) return Truth.UNKNOWN;
        long start = ticker.getAsLong();
        try {
            return Truth.of(pattern.matcher(new Deadline(value, start + remaining)).find());
        } catch (Deadline.Expired e) {
            return Truth.UNKNOWN;
        } catch (StackOverflowError e) {
            // unwound to here, so the thread has its stack back; the message goes on without patterns
            LOG.warn("a mail flow rule's header pattern /{}/ overflowed the stack on a value of {} characters; "
                    + "header patterns cannot be evaluated for the rest of this message", pattern, value.length());
            remaining = 0;
            return Truth.UNKNOWN;
        } finally {
            remaining -= Math.max(0, ticker.getAsLong() - start);
        }
    }

    /** A CharSequence that stops a regular expression once its time is up (checked every 1024 reads). */
    private final class Deadline implements CharSequence {
        static final class Expired extends RuntimeException {
            Expired() {
                super(null, null, false, false);
            }
        }

        private final CharSequence text;
        private final long until;
        private int reads;

        Deadline(CharSequence text, long until) {
            this.text = text;
            this.until = until;
        }

        @Override
        public char charAt(int index) {
            if ((++reads & 0x3ff) == 0 && ticker.getAsLong() > until) {
                remaining = 0;
                throw new Expired();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.subSequence(start, end), until);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
