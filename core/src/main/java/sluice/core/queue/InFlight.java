package sluice.core.queue;

import sluice.core.mail.QueueId;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages held, each by one attempt or one administrator's change, so that no two of them run for a message
 * at once; and the attempts running, so that a change can ask the one holding its message to stop at its next
 * admission rather than wait for it to end.
 */
final class InFlight {

    /** An attempt running on its thread, and whether an admin change asked it to stop. */
    static final class Running {
        final Thread thread = Thread.currentThread();
        volatile boolean stop;
    }

    private final Set<QueueId> held = ConcurrentHashMap.newKeySet();
    private final Map<QueueId, Running> attempts = new ConcurrentHashMap<>();
    private final DeliverySlots slots;

    InFlight(DeliverySlots slots) {
        this.slots = slots;
    }

    /** Takes the message; false while an attempt (or a change) holds it. */
    boolean claim(QueueId id) {
        return held.add(id);
    }

    /** Lets go of the message taken with {@link #claim}. */
    void release(QueueId id) {
        held.remove(id);
    }

    /** Messages held. */
    int size() {
        return held.size();
    }

    /** The attempt starting on this thread for {@code id}, which holds it; {@link #ended} when it ends. */
    Running started(QueueId id) {
        Running running = new Running();
        attempts.put(id, running);
        return running;
    }

    void ended(QueueId id, Running running) {
        attempts.remove(id, running);
    }

    /**
     * Asks the attempt running for the message, if any, to stop at its next admission, and wakes it
     * if it waits for a slot. Asked once: the request stands until the attempt ends.
     */
    void askToStop(QueueId id) {
        Running running = attempts.get(id);
        if (running != null && !running.stop) {
            running.stop = true;
            slots.wake(running.thread);
        }
    }
}
