package sluice.core.filter.spam;

/**
 * An immutable token → (spam count, ham count) table: open addressing over 64-bit token hashes in
 * one flat array, each slot's hash beside its packed counts, so a look-up that finds its token reads
 * one cache line (the table is far larger than the caches: nearly every look-up misses them). Several hundred thousand tokens cost a few MB instead of the tens a
 * {@code HashMap<String, ...>} would, and lookups allocate nothing. The strings themselves are not
 * kept; a 64-bit hash collision between two of ~10⁶ tokens has a probability near 10⁻⁸, and its
 * only effect would be one token borrowing another's counts. Safe to read from many threads once
 * built (all fields final, arrays never written after construction).
 */
final class TokenTable {

    private static final long EMPTY = 0L;
    /** Slot i: its token hash at 2i (EMPTY when free), its counts at 2i+1 as {@link #counts} returns them. */
    private final long[] slots;
    private final int size;

    private TokenTable(long[] slots, int size) {
        this.slots = slots;
        this.size = size;
    }

    static Builder builder(int expected) {
        return new Builder(expected);
    }

    int size() {
        return size;
    }

    /** Spam count in the high 32 bits, ham count in the low 32 bits; 0 when unknown. */
    long counts(String token) {
        long key = hash(token);
        int mask = slots.length / 2 - 1;
        for (int i = (int) key & mask; ; i = (i + 1) & mask) {
            long k = slots[2 * i];
            if (k == key) {
                return slots[2 * i + 1];
            }
            if (k == EMPTY) {
                return 0L;
            }
        }
    }

    /** FNV-1a over the UTF-16 units, then a murmur3 finalizer to spread the low bits. */
    static long hash(String token) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < token.length(); i++) {
            h ^= token.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1L : h;
    }

    static final class Builder {
        private long[] keys;
        private int[] spam;
        private int[] ham;
        private int size;

        private Builder(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
            keys = new long[capacity];
            spam = new int[capacity];
            ham = new int[capacity];
        }

        Builder add(String token, int spamCount, int hamCount) {
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            insert(hash(token), spamCount, hamCount);
            return this;
        }

        private void insert(long key, int s, int h) {
            int mask = keys.length - 1;
            int i = (int) key & mask;
            while (keys[i] != EMPTY && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == EMPTY) {
                keys[i] = key;
                size++;
            }
            spam[i] += s;
            ham[i] += h;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldSpam = spam;
            int[] oldHam = ham;
            keys = new long[oldKeys.length * 2];
            spam = new int[keys.length];
            ham = new int[keys.length];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    insert(oldKeys[i], oldSpam[i], oldHam[i]);
                }
            }
        }

        TokenTable build() {
            long[] slots = new long[2 * keys.length];
            for (int i = 0; i < keys.length; i++) {
                slots[2 * i] = keys[i];
                slots[2 * i + 1] = ((long) spam[i] << 32) | (ham[i] & 0xFFFFFFFFL);
            }
            return new TokenTable(slots, size);
        }
    }
}
