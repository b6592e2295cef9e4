package sluice.core.quarantine;

import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;

import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The delivery status notifications the sender asked for (RFC 3461), as the original transaction
 * carried them: RET and ENVID of MAIL FROM, NOTIFY and ORCPT of each RCPT TO. Kept with a held
 * message so that its released copy is reported on (or not) as the original would have been: a
 * NOTIFY=NEVER sender gets no bounce, a RET=HDRS sender gets the header back, not the message.
 *
 * @param ret        "FULL", "HDRS" or null (the default)
 * @param envId      ENVID or null
 * @param recipients one per recipient of the entry, in the entry's order
 */
public record DsnRequest(String ret, String envId, List<Recipient> recipients) {

    public DsnRequest {
        recipients = List.copyOf(recipients);
    }

    /**
     * @param notifyOn NOTIFY keywords in upper case; empty for the default (FAILURE, DELAY)
     * @param orcpt    ORCPT as received, or null
     */
    public record Recipient(Set<String> notifyOn, String orcpt) {
        public static final Recipient DEFAULT = new Recipient(Set.of(), null);

        public Recipient {
            notifyOn = Set.copyOf(notifyOn);
        }
    }

    /** No parameters for any of {@code recipients} recipients: what entries held before they were kept get. */
    public static DsnRequest none(int recipients) {
        return new DsnRequest(null, null, Collections.nCopies(recipients, Recipient.DEFAULT));
    }

    /** The request of a queued message and those of its recipients. */
    static DsnRequest of(QueuedMessage m, List<QueuedRecipient> recipients) {
        return new DsnRequest(m.dsnRet(), m.dsnEnvId(),
                recipients.stream().map(r -> new Recipient(r.notifyOn(), r.orcpt())).toList());
    }
}
