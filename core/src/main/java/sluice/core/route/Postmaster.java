package sluice.core.route;

import sluice.core.mail.Address;
import sluice.core.mail.Domain;

import java.util.Locale;
import java.util.Optional;

/**
 * Who reads postmaster mail that no mailbox takes. RFC 5321 section 4.5.1: every SMTP server MUST
 * accept {@code <postmaster>} without a domain (the postmaster of the host itself) and
 * {@code postmaster@domain} for every domain it accepts mail for. Sluice queues the bare form as
 * {@code postmaster@<hostname>}, and at each delivery attempt a postmaster address that no mailbox
 * or route takes goes to {@code smtp.postmaster} instead.
 *
 * @param hostname the node's host name: {@code postmaster@hostname} is the bare {@code <postmaster>}
 * @param address  the node's {@code smtp.postmaster} address, or null when none is configured: such
 *                 mail is then held (deferred) until one is, or until it expires, with no delay
 *                 notice or NDR (the sender of postmaster mail is easily forged: no backscatter)
 */
public record Postmaster(Domain hostname, Address address) {

    /** No host name known and no address: nothing is stood in for (tests that do not care). */
    public static final Postmaster NONE = new Postmaster(null, null);

    static final String LOCAL_PART = "postmaster";

    /** The address {@code <postmaster>} (any case, RFC 5321 section 4.5.1) stands for, or empty. */
    public Optional<Address> bare(String forwardPath) {
        if (hostname == null || !forwardPath.equalsIgnoreCase(LOCAL_PART)) return Optional.empty();
        return Optional.of(new Address(LOCAL_PART, hostname));
    }

    /** The postmaster of this host, which no organization's directory holds. */
    boolean ofThisHost(Address a) {
        return named(a) && a.domain().equals(hostname);
    }

    static boolean named(Address a) {
        return a.localPart().toLowerCase(Locale.ROOT).equals(LOCAL_PART);
    }

    /** What {@link Router#postmasterStandIn} found: mail for {@code original} goes to {@code to}, or is held when null. */
    public record StandIn(Address original, Address to) {

        public boolean held() {
            return to == null;
        }
    }
}
