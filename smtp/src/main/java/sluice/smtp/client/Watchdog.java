package sluice.smtp.client;

import sluice.smtp.Sweeper;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deadline of one step on one connection: a whole reply, a command, a block of content, the TLS
 * handshake (RFC 5321 section 4.5.3.2 times steps, not the gaps between bytes). SO_TIMEOUT cannot do
 * it: it bounds each read, so a peer sending a byte now and then keeps one reply coming for as long as
 * it likes (under TLS each socket read inside a record starts it afresh), and it bounds no write at
 * all. When a step overruns, the watchdog closes the TCP socket, which fails the blocked read or write
 * at once; the connection is then unusable, and {@link #fired} tells its owner why.
 *
 * <p>Hazards. It closes the TCP socket, never a TLS socket over it: closing TLS first sends
 * close_notify, which waits for the lock the thread blocked in write holds, so both would hang for
 * good. One sweeping thread serves every connection of the node, so it must never block at all: it
 * hands the close to a virtual thread of its own. Arming costs a set insertion, not a timer task:
 * every step of every delivery arms and disarms (a timer task per step cost the server about 5% of
 * its CPU per message when its replies were timed that way).
 */
final class Watchdog {

    /** The watchdogs armed now; one thread looks at them ten times a second. */
    private static final Set<Watchdog> ARMED = ConcurrentHashMap.newKeySet();
    private static final long SWEEP_MILLIS = 100;

    static {
        Sweeper.start("smtp-client-watchdog", SWEEP_MILLIS, ARMED, Watchdog::due, Watchdog::fire, Watchdog.class,
                "aborting a connection past its deadline failed");
    }

    /** The step being timed; {@link #FIRED} once the watchdog fired, for good. Compared by identity. */
    private static final class Step {
        final long deadline;

        Step(long deadline) {
            this.deadline = deadline;
        }
    }

    private static final Step FIRED = new Step(0);

    private final Socket tcp;
    /**
     * Changed only by compare-and-set, so the sweeper fires exactly the step it saw expire: a step that ended (and
     * the next one armed) in between is not cut, and a step that ended as it fired learns so from {@link #disarm}.
     */
    private final AtomicReference<Step> step = new AtomicReference<>();

    /** {@code tcp}: the connection's TCP socket, the one under any TLS layer. */
    Watchdog(Socket tcp) {
        this.tcp = tcp;
    }

    /**
     * Starts the countdown of the next step, or starts it afresh (one more block was written). Called by the
     * connection's owner only, as is {@link #disarm}, so the set of armed watchdogs follows the order of the two.
     */
    void arm(Duration timeout) {
        Step next = new Step(System.nanoTime() + Math.max(1, timeout.toNanos()));
        for (Step s = step.get(); s != FIRED; s = step.get()) {
            if (step.compareAndSet(s, next)) {
                ARMED.add(this);
                return;
            }
        }
    }

    /**
     * The step is over. False when the watchdog fired first: the step may still have completed (a reply read
     * just in time), but the connection is being aborted, and its owner must treat it as closed.
     */
    boolean disarm() {
        for (Step s = step.get(); s != FIRED; s = step.get()) {
            if (step.compareAndSet(s, null)) {
                ARMED.remove(this);
                return true;
            }
        }
        ARMED.remove(this);
        return false;
    }

    /** Whether a step overran, so the connection was closed for a timeout (and any I/O failure after it is one). */
    boolean fired() {
        return step.get() == FIRED;
    }

    /** Whether {@code w}'s step is past its deadline, and this sweep fired it (the owner did not end the step first). */
    private static boolean due(Watchdog w) {
        Step s = w.step.get();
        if (s == null || s == FIRED || System.nanoTime() - s.deadline < 0 || !w.step.compareAndSet(s, FIRED)) return false;
        ARMED.remove(w);
        return true;
    }

    private void fire() {
        Thread.ofVirtual().name("smtp-client-abort").start(() -> abort(tcp));
    }

    /**
     * Closes {@code tcp} at once, discarding what it still has to send (SO_LINGER 0: a reset), so a peer that
     * stopped reading does not keep a full send buffer alive in the kernel. Never blocks.
     */
    static void abort(Socket tcp) {
        try {
            if (!tcp.isClosed()) tcp.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed meanwhile
        }
        try {
            tcp.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
