package sluice.core.dns;

import sluice.core.mail.Domain;

import java.net.InetAddress;
import java.util.List;

/**
 * The one port over the resolver. Answers distinguish "the name has no such record" (an empty list,
 * or {@link NoSuchDomain}) from "we could not find out" ({@link DnsFailure}): the first can bounce
 * mail, the second may only defer it.
 */
public interface Dns {

    /** MX records sorted by preference (lowest first); empty when the domain has none. */
    List<Mx> mx(Domain domain) throws NoSuchDomain, DnsFailure;

    /** A and AAAA addresses of a host; empty when it has none. */
    List<InetAddress> addresses(Domain host) throws NoSuchDomain, DnsFailure;

    /** TXT records of a name, each as one string (segments concatenated). */
    List<String> txt(Domain name) throws NoSuchDomain, DnsFailure;

    record Mx(int preference, Domain exchange) {
        /** RFC 7505: a single MX of preference 0 with the root as exchange says "no mail here". */
        public boolean isNull() {
            return exchange == null;
        }
    }

    final class NoSuchDomain extends Exception {
        public NoSuchDomain(String message) { super(message); }
    }

    final class DnsFailure extends Exception {
        public DnsFailure(String message) { super(message); }
        public DnsFailure(String message, Throwable cause) { super(message, cause); }
    }
}
