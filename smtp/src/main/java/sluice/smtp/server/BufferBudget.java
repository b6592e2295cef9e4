package sluice.smtp.server;

import sluice.smtp.ClientNetwork;

import java.util.HashMap;
import java.util.Map;

/**
 * The node-wide budget of message octets held in memory while messages arrive: SMTP sessions' DATA and
 * BDAT content, and IMAP APPEND literals (a client storing a sent copy), so neither protocol can take
 * the heap that the other was promised.
 * Each session may buffer up to the message size limit, so without a budget a few dozen clients
 * sending large messages slowly exhaust the heap. A session takes from the budget as its buffer
 * grows and gives it all back when the transaction ends; one that cannot get more reads its message
 * to the end without keeping it and answers {@code 452 4.3.1} (the client retries later).
 *
 * <p>One client ({@link ClientNetwork}) may hold at most a quarter of the budget, so a single address
 * cannot starve everyone else. Share one budget between all listeners of a node.
 */
public final class BufferBudget {

    /** The share of the budget one client may hold: 1/{@value}. */
    public static final int CLIENT_SHARE = 4;

    private final long total;
    private final long perClient;
    private final Map<ClientNetwork, Long> byClient = new HashMap<>();
    private long used;

    public BufferBudget(long total) {
        if (total < 1) throw new IllegalArgumentException("the buffer budget must be positive: " + total);
        this.total = total;
        this.perClient = Math.max(1, total / CLIENT_SHARE);
    }

    /** A quarter of the heap the JVM may grow to: the rest is for the queue, filters and everything else. */
    public static BufferBudget quarterOfHeap() {
        long max = Runtime.getRuntime().maxMemory();
        return new BufferBudget(max == Long.MAX_VALUE ? 1L << 30 : max / 4);
    }

    public long total() {
        return total;
    }

    /** Octets held by all sessions now. */
    public synchronized long used() {
        return used;
    }

    /** Takes {@code octets} for {@code client}; false, taking nothing, when the node or the client's share has too little left. */
    public synchronized boolean take(ClientNetwork client, long octets) {
        long mine = byClient.getOrDefault(client, 0L);
        if (octets > total - used || octets > perClient - mine) return false;
        used += octets;
        byClient.put(client, mine + octets);
        return true;
    }

    /** The most one client may hold through {@link #take}; {@link #takeAlone} leaves at least this much free. */
    public long perClient() {
        return perClient;
    }

    /**
     * Takes {@code octets}, however many more than a client's share, for a {@code client} that holds nothing
     * now, when the node has that much left and a client's share besides (so that SMTP intake is never
     * starved by a slow reader): a stored message larger than any share can then still be read, held alone.
     * False, taking nothing, otherwise.
     */
    public synchronized boolean takeAlone(ClientNetwork client, long octets) {
        if (byClient.containsKey(client) || octets > total - used - perClient) return false;
        used += octets;
        byClient.put(client, octets);
        return true;
    }

    /** Gives back what {@link #take} or {@link #takeAlone} granted. */
    public synchronized void give(ClientNetwork client, long octets) {
        used -= octets;
        byClient.computeIfPresent(client, (c, n) -> n - octets <= 0 ? null : n - octets);
    }
}
