package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.core.mail.Domain;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What in a configuration file the server would take from a global administrator but refuse an
 * organization administrator: an accepted domain the organization has not proven (a TXT record), an
 * inbound connector range wider than /24 (IPv4) or /48 (IPv6), more than 16 new ranges at once, or a
 * range in the node's own loopback, link-local or multicast addresses, an OnPremises connector's
 * {@code tlsSenderCertificateName} outside the organization's verified domains, and
 * {@code localHopsAllowed: true}, or new hops for a connector that has it.
 *
 * <p>The server is the authority on these rules and enforces them on every request (the admin
 * module's domain, inbound and outbound connector routes); this mirrors them only as a guard. A file
 * is often written by the tenant it configures, and an operator who imports it with the node's
 * global token would give that tenant, unnoticed, what it could not have taken itself. Only when
 * the caller is a global administrator does {@code config import} ask for {@code --allow-global-settings}.
 * Rules the CLI cannot see (another organization's connectors, the node's own interface addresses)
 * are not mirrored.
 *
 * @param domains  the organization's accepted domains as the API lists them, verified or pending (empty for
 *                 a new organization); only the verified ones count as held
 * @param inbound  its inbound connectors
 * @param outbound its outbound connectors
 */
record GlobalSettings(List<JsonNode> domains, List<JsonNode> inbound, List<JsonNode> outbound) {

    static final int MAX_V4_PREFIX = 24;
    static final int MAX_V6_PREFIX = 48;
    static final int MAX_NEW_RANGES = 16;
    private static final String VERIFIED = "Verified";
    private static final String ON_PREMISES = "OnPremises";

    /**
     * One line per setting of {@code file} that takes a global administrator; empty when there is none. The
     * lines quote the file as it is: whoever prints them escapes them ({@code Terminal.line}).
     */
    List<String> in(ConfigFile file) {
        List<String> out = new ArrayList<>();
        file.objects(Kind.DOMAIN).forEach(d -> domain(d, out));
        file.objects(Kind.INBOUND).forEach(c -> ranges(c, out));
        file.objects(Kind.INBOUND).forEach(c -> certificateName(c, out));
        file.objects(Kind.OUTBOUND).forEach(c -> localHops(c, out));
        return List.copyOf(out);
    }

    /**
     * An organization administrator gets at once only a domain it has proven, or a subdomain of one. A
     * pending domain is not held: the organization has not shown it owns it, and a global caller's
     * create would make it Verified. The name is compared as the server stores it ({@link Domain}), the
     * same way {@link Importer} looks it up; a name the server cannot parse it refuses from anyone.
     */
    private void domain(ObjectNode d, List<String> out) {
        Domain name;
        try {
            name = Domain.of(d.path("domainName").asText());
        } catch (IllegalArgumentException e) {
            return;
        }
        if (verified().noneMatch(name::isWithin))
            out.add("accepted domain " + name + ": not a verified accepted domain of the organization or a subdomain of"
                    + " one (an organization administrator has to prove it with a TXT record)");
    }

    /**
     * Mail over TLS from a certificate with this name counts as the organization's own and may relay, so an
     * organization administrator may name only a host within its verified domains ({@code *.} stripped), as
     * the server checks. A name the connector already has is not asked for.
     */
    private void certificateName(ObjectNode c, List<String> out) {
        JsonNode cert = c.get("tlsSenderCertificateName");
        if (!onPremises(c) || cert == null || !cert.isTextual() || cert.asText().isBlank()) return;
        boolean already = named(inbound, c.path("name").asText())
                .filter(i -> onPremises(i) && Fields.same(i.get("tlsSenderCertificateName"), cert)).isPresent();
        if (already || withinVerified(cert.asText())) return;
        out.add("inbound connector " + c.path("name").asText() + ": tlsSenderCertificateName "
                + cert.asText() + " is not within a verified accepted domain of the organization"
                + " (servers with that certificate could relay as the organization)");
    }

    private boolean withinVerified(String certificateName) {
        String host = certificateName.startsWith("*.") ? certificateName.substring(2) : certificateName;
        try {
            Domain d = Domain.of(host);
            return verified().anyMatch(d::isWithin);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Stream<Domain> verified() {
        return domains.stream().filter(a -> VERIFIED.equals(a.path("status").asText(VERIFIED))).flatMap(a -> {
            try {
                return Stream.of(Domain.of(a.path("domainName").asText()));
            } catch (IllegalArgumentException e) {
                return Stream.empty();
            }
        });
    }

    private static boolean onPremises(JsonNode connector) {
        return ON_PREMISES.equalsIgnoreCase(connector.path("connectorType").asText(""));
    }

    /** Only the ranges the import adds count, as on the server: a range the connector already has (same type) is not asked for. */
    private void ranges(ObjectNode c, List<String> out) {
        String what = "inbound connector " + c.path("name").asText();
        Optional<JsonNode> current = named(inbound, c.path("name").asText())
                .filter(i -> i.path("connectorType").asText("").equalsIgnoreCase(c.path("connectorType").asText("")));
        List<Range> had = current.map(i -> parse(i.path("senderIpAddresses"))).orElse(List.of());
        List<Range> added = parse(c.path("senderIpAddresses")).stream().filter(r -> !had.contains(r)).toList();
        if (added.size() > MAX_NEW_RANGES) out.add(what + ": " + added.size() + " new IP ranges at once (more than " + MAX_NEW_RANGES + ")");
        for (Range r : added) {
            int widest = r.v4() ? MAX_V4_PREFIX : MAX_V6_PREFIX;
            if (r.prefix() < widest) out.add(what + ": " + r.text() + " is wider than /" + widest);
            else if (r.ofTheNode()) out.add(what + ": " + r.text() + " is in this node's own loopback, link-local or multicast addresses");
        }
    }

    /**
     * Where a connector may deliver to this node itself ({@code localHopsAllowed}, kept as it is when the file
     * leaves it out), the server grants that for whatever hops the connector has after the change. So new
     * smart hosts or a change of useMxRecord ask for it again, as does turning it on; saying again what is
     * already so does not.
     */
    private void localHops(ObjectNode c, List<String> out) {
        Optional<JsonNode> current = named(outbound, c.path("name").asText());
        boolean allowedNow = current.map(o -> o.path("localHopsAllowed").asBoolean(false)).orElse(false);
        boolean allowedAfter = c.has("localHopsAllowed") ? c.path("localHopsAllowed").asBoolean(false) : allowedNow;
        if (!allowedAfter) return;
        boolean sameHops = current.filter(o -> Fields.same(o.get("smartHosts"), c.get("smartHosts"))
                && o.path("useMxRecord").asBoolean() == c.path("useMxRecord").asBoolean()).isPresent();
        if (allowedNow && sameHops) return;
        String name = c.path("name").asText();
        out.add(allowedNow
                ? "outbound connector " + name + ": new smart hosts or useMxRecord for a connector with localHopsAllowed: true"
                        + " (it may deliver to this node itself, through the new hops too)"
                : "outbound connector " + name + ": localHopsAllowed: true (it may deliver to this node itself)");
    }

    /** A connector as the importer finds it (by name, ignoring case). */
    private static Optional<JsonNode> named(List<JsonNode> items, String name) {
        return items.stream().filter(i -> Kind.INBOUND.canonical(i.path("name").asText("")).equals(Kind.INBOUND.canonical(name))).findFirst();
    }

    /** The ranges that parse; one that does not is the server's to refuse. */
    private static List<Range> parse(JsonNode list) {
        List<Range> out = new ArrayList<>();
        list.forEach(n -> Range.parse(n.asText()).ifPresent(out::add));
        return out;
    }

    /** An IP range as the server compares them: the address bytes and the prefix length. */
    private record Range(String text, InetAddress address, int prefix) {

        static Optional<Range> parse(String text) {
            String t = text.strip();
            int slash = t.indexOf('/');
            try {
                // a literal only: ofLiteral never asks DNS, so a host name in the file cannot make us look it up
                InetAddress a = InetAddress.ofLiteral(slash < 0 ? t : t.substring(0, slash));
                int bits = a.getAddress().length * 8;
                int prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
                return prefix < 0 || prefix > bits ? Optional.empty() : Optional.of(new Range(t, a, prefix));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        boolean v4() {
            return address.getAddress().length == 4;
        }

        boolean ofTheNode() {
            return address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isMulticastAddress()
                    || address.isAnyLocalAddress();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Range r && r.address.equals(address) && r.prefix == prefix;
        }

        @Override
        public int hashCode() {
            return address.hashCode() * 31 + prefix;
        }
    }
}
