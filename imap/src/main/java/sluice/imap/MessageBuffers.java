package sluice.imap;

import sluice.smtp.ClientNetwork;
import sluice.smtp.server.BufferBudget;

/**
 * What one session holds of the node's {@link BufferBudget}: the message of an APPEND, or the stored
 * message a FETCH is sending. Either is held whole in memory (a literal is read whole before it is
 * stored, a stored message is read whole before its parts are sent), so without the budget a few
 * dozen clients appending or fetching large messages at once could take the heap that SMTP's
 * arriving mail was promised. The octets are taken before the message is read (before the client is
 * told to send it, for a synchronizing literal; before the store is asked, for a FETCH) and given
 * back once the command is done with them.
 */
final class MessageBuffers {

    private final BufferBudget budget;
    private final ClientNetwork client;
    private long held;

    MessageBuffers(BufferBudget budget, ClientNetwork client) {
        this.budget = budget;
        this.client = client;
    }

    /** Takes room for a literal of {@code octets}; false, taking nothing, when the node or this client has too little left. */
    boolean take(long octets) {
        if (!budget.take(client, octets)) return false;
        held += octets;
        return true;
    }

    /**
     * Takes room for a stored message a FETCH or SEARCH reads whole. One larger than a client's share
     * (stored with the headers delivery added, it may exceed the message size limit that the share was
     * sized for) is held only as all this client holds, if the node has room for it and a client's share besides; false, taking nothing, otherwise.
     */
    boolean takeStored(long octets) {
        if (octets <= budget.perClient()) return take(octets);
        if (held > 0 || !budget.takeAlone(client, octets)) return false;
        held = octets;
        return true;
    }

    /**
     * True when a message of {@code octets} can never be held for one client, however idle the node: held
     * alone, it must leave a client's share free.
     */
    boolean neverFits(long octets) {
        return octets > budget.total() - budget.perClient();
    }

    /** Gives back everything taken; may be called more than once. */
    void release() {
        if (held > 0) budget.give(client, held);
        held = 0;
    }
}
