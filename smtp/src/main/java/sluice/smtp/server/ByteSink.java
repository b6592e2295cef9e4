package sluice.smtp.server;

import sluice.smtp.ClientNetwork;

import java.util.Arrays;

/**
 * Message octets collected up to a cap; past it they are counted and dropped, so an oversized
 * message is read to its end (keeping the session in step) without being held in memory.
 *
 * <p>The buffer's capacity is taken from a {@link BufferBudget} as it grows. When the budget has no
 * more, the sink is <em>starved</em>: it frees what it held and, like an overflowing one, only counts
 * from then on. The owner calls {@link #release} when the transaction ends, whatever its outcome.
 */
final class ByteSink {
    private static final int FIRST_CAPACITY = 8192;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;
    private static final byte[] NOTHING = new byte[0];

    private final long cap;
    private final BufferBudget budget;
    private final ClientNetwork client;
    private byte[] data = NOTHING;
    private long reserved;
    private int size;
    private long total;
    private boolean starved;

    ByteSink(long cap, BufferBudget budget, ClientNetwork client) {
        this.cap = cap;
        this.budget = budget;
        this.client = client;
    }

    /** A sink that keeps nothing: for chunks that are refused but must still be read. */
    static ByteSink discarding() {
        return new ByteSink(0, null, null);
    }

    void write(int b) {
        total++;
        if (!keeping(1)) return;
        data[size++] = (byte) b;
    }

    void write(byte[] src, int off, int len) {
        total += len;
        if (!keeping(len)) return;
        System.arraycopy(src, off, data, size, len);
        size += len;
    }

    /** All octets offered so far, kept or not. */
    long total() {
        return total;
    }

    boolean overflowed() {
        return total > cap;
    }

    /** True once the budget refused to let the buffer grow: the content is lost, the client should retry. */
    boolean starved() {
        return starved;
    }

    /**
     * The octets kept, handed over: the sink holds no reference afterwards, but its share of the budget
     * stays taken until {@link #release}, since the caller is now holding them.
     */
    byte[] content() {
        byte[] out = size == data.length ? data : Arrays.copyOf(data, size);
        data = NOTHING;
        size = 0;
        return out;
    }

    /** Drops the content and gives the budget back; the sink keeps nothing more. May be called more than once. */
    void release() {
        data = NOTHING;
        size = 0;
        if (reserved > 0) budget.give(client, reserved);
        reserved = 0;
    }

    /** Makes room for {@code len} more octets; false when they are to be dropped. */
    private boolean keeping(int len) {
        if (starved || total > cap) {
            if (data.length > 0) release(); // an overflow is refused anyway: free its memory now
            return false;
        }
        if (size + len <= data.length) return true;
        long next = Math.min(MAX_ARRAY, Math.max(size + (long) len, Math.min(Math.max(data.length * 2L, FIRST_CAPACITY), cap)));
        long more = next - data.length;
        if (budget != null && !budget.take(client, more)) {
            starved = true;
            release();
            return false;
        }
        reserved += more;
        data = Arrays.copyOf(data, (int) next);
        return true;
    }
}
