package sluice.core.dns;

import sluice.core.mail.Domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
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

    /**
     * A records only. SPF (RFC 7208 section 5.3, 5.7) asks for exactly one type, and an answer of the
     * other family must neither match nor hide a void lookup. The default filters {@link #addresses};
     * resolvers should ask for the one type.
     */
    default List<InetAddress> a(Domain host) throws NoSuchDomain, DnsFailure {
        return addresses(host).stream().filter(a -> a instanceof Inet4Address).toList();
    }

    /**
     * A records with the time they may be cached (the smallest TTL of the answer), for callers that
     * cache answers themselves (DNS block lists). The default says five minutes.
     */
    default Timed<List<InetAddress>> aWithTtl(Domain host) throws NoSuchDomain, DnsFailure {
        return new Timed<>(a(host), java.time.Duration.ofMinutes(5));
    }

    /** An answer and how long it may be cached. */
    record Timed<T>(T value, java.time.Duration ttl) {
    }

    /** AAAA records only; see {@link #a}. */
    default List<InetAddress> aaaa(Domain host) throws NoSuchDomain, DnsFailure {
        return addresses(host).stream().filter(a -> a instanceof Inet6Address).toList();
    }

    /**
     * The names a PTR lookup of {@code address} returns (in-addr.arpa / ip6.arpa, RFC 3596 section
     * 2.5), in answer order; names that are not valid domains are left out. Used by the SPF "ptr"
     * mechanism and %{p} macro (RFC 7208 section 5.5). The default says it cannot, so a resolver
     * without PTR support yields temperror there, never a wrong match.
     */
    default List<Domain> ptr(InetAddress address) throws NoSuchDomain, DnsFailure {
        throw new DnsFailure("this resolver does not look up PTR records");
    }

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
