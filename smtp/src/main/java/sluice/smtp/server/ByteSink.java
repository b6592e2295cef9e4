package sluice.smtp.server;

import java.util.Arrays;

/**
 * Message octets collected up to a cap; past it they are counted and dropped, so an oversized
 * message is read to its end (keeping the session in step) without being held in memory.
 */
final class ByteSink {
    private final long cap;
    private byte[] data;
    private int size;
    private long total;

    ByteSink(long cap) {
        this.cap = cap;
        this.data = new byte[(int) Math.min(8192, Math.max(cap, 0))];
    }

    /** A sink that keeps nothing: for chunks that are refused but must still be read. */
    static ByteSink discarding() {
        return new ByteSink(0);
    }

    void write(int b) {
        total++;
        if (total > cap) return;
        if (size == data.length) grow(size + 1);
        data[size++] = (byte) b;
    }

    void write(byte[] src, int off, int len) {
        total += len;
        if (total > cap) return;
        if (size + len > data.length) grow(size + len);
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

    byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    private void grow(int needed) {
        long next = Math.max(needed, Math.min((long) data.length * 2, cap));
        data = Arrays.copyOf(data, (int) Math.min(next, Integer.MAX_VALUE - 16));
    }
}
