package sluice.core.receive;

import sluice.core.connector.ConnectorType;
import sluice.core.connector.InboundConnector;
import sluice.core.mail.QueuedMessage;
import sluice.core.org.Mailbox;

/**
 * Who is sending in the current transaction: an inbound connector, an authenticated mailbox, or
 * nobody we know (the internet). Decides relay permission, the message's organization and origin.
 */
record Attribution(InboundConnector connector, Mailbox submitter, boolean internal, boolean relays) {

    static final Attribution INTERNET = new Attribution(null, null, false, false);

    static Attribution submission(Mailbox submitter) {
        return new Attribution(null, submitter, true, true);
    }

    /**
     * Mail through an OnPremises connector is internal when the connector says so or when its sender
     * is in one of the organization's own domains (the organization's users on its own servers);
     * Partner mail never is. An OnPremises connector relays mail to any destination when the
     * connection presented its certificate, or when the sender is in one of the organization's own
     * domains (or is the null sender of a bounce): as in EOP, a server recognised by IP alone relays
     * only its organization's mail, so a connector whose IP range also holds others' hosts (a shared
     * hosting /24) does not make the node an open relay for them.
     */
    static Attribution through(InboundConnector connector, boolean senderInOrganization, boolean byCertificateOrNullSender) {
        boolean onPremises = connector.type() == ConnectorType.ON_PREMISES;
        boolean internal = onPremises && (connector.treatMessagesAsInternal() || senderInOrganization);
        return new Attribution(connector, null, internal, onPremises && (byCertificateOrNullSender || senderInOrganization));
    }

    /** Relay to any destination: an authenticated mailbox, or an OnPremises connector as {@link #through} says. */
    boolean mayRelay() {
        return relays;
    }

    /** The organization the mail belongs to when its source tells (null: decided by the recipients). */
    String organizationId() {
        if (submitter != null) return submitter.organizationId();
        return connector == null ? null : connector.organizationId();
    }

    /**
     * What this source vouches for in a transaction of {@code organizationId}: everything when it is
     * that organization's own connector or mailbox, else nothing. Mail through one organization's
     * connector to another organization's domain is the internet's mail to that organization.
     */
    Attribution within(String organizationId) {
        String own = organizationId();
        return own == null || own.equals(organizationId) ? this : INTERNET;
    }

    QueuedMessage.Origin origin() {
        if (submitter != null) return QueuedMessage.Origin.SUBMISSION;
        if (connector == null) return QueuedMessage.Origin.INTERNET;
        return connector.type() == ConnectorType.ON_PREMISES ? QueuedMessage.Origin.ON_PREMISES : QueuedMessage.Origin.PARTNER;
    }

    /** Text for the trace, for a transaction of {@code organizationId}. */
    String describe(String organizationId) {
        String who = submitter != null ? "authenticated as " + submitter.address()
                : connector == null ? "no inbound connector" : "inbound connector " + connector.name();
        Attribution applies = within(organizationId);
        if (applies != this) who += " of another organization";
        return who + (applies.internal() ? ", internal" : ", external");
    }
}
