package sluice.imap;

import sluice.smtp.ClientNetwork;
import sluice.smtp.server.BufferBudget;

/**
 * What one session holds of the node's {@link BufferBudget} for APPEND messages. A message literal is
 * read whole into memory before it is stored, so without the budget a few clients appending large
 * messages at once could take the heap that SMTP's arriving mail was promised. The octets are taken
 * before the literal is read (before the client is told to send it, for a synchronizing one) and given
 * back once the command is done with them, stored or refused.
 */
final class AppendBuffers {

    private final BufferBudget budget;
    private final ClientNetwork client;
    private long held;

    AppendBuffers(BufferBudget budget, ClientNetwork client) {
        this.budget = budget;
        this.client = client;
    }

    /** Takes room for a literal of {@code octets}; false, taking nothing, when the node or this client has too little left. */
    boolean take(long octets) {
        if (!budget.take(client, octets)) return false;
        held += octets;
        return true;
    }

    /** Gives back everything taken; may be called more than once. */
    void release() {
        if (held > 0) budget.give(client, held);
        held = 0;
    }
}
