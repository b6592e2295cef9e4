package sluice.core.filter;

import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A message under inspection, with what the receiving side knows about where it came from.
 *
 * @param organizationId     whose policies apply (null: none known; defaults apply)
 * @param internal           internal to the organization: anti-spam is skipped (SCL -1), anti-malware never
 * @param clientAddress      the connecting IP
 * @param originatingAddress the sender's IP as recovered by enhanced filtering (the client IP unless a
 *                           connector says to skip hops)
 * @param mailFrom           the envelope sender, "" for the null sender
 * @param content            the message as received (before our Received header), as it goes on
 * @param asSigned           the same, but as the sender wrote it where receiving had to repair it (a header that
 *                           broke off without its empty line): what DKIM signatures are checked against
 */
public record Inspection(String organizationId, boolean internal, QueuedMessage.Origin origin, InetAddress clientAddress,
                         InetAddress originatingAddress, String heloName, boolean tls, String mailFrom,
                         List<Address> recipients, byte[] content, byte[] asSigned) {
    public Inspection {
        Objects.requireNonNull(origin);
        Objects.requireNonNull(clientAddress);
        Objects.requireNonNull(originatingAddress);
        Objects.requireNonNull(mailFrom);
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(content);
        Objects.requireNonNull(asSigned);
    }

    /** A message nothing had to repair. */
    public Inspection(String organizationId, boolean internal, QueuedMessage.Origin origin, InetAddress clientAddress,
                      InetAddress originatingAddress, String heloName, boolean tls, String mailFrom,
                      List<Address> recipients, byte[] content) {
        this(organizationId, internal, origin, clientAddress, originatingAddress, heloName, tls, mailFrom, recipients,
                content, content);
    }
}
