package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What in a configuration file the server would take from a global administrator but refuse an
 * organization administrator: an accepted domain the organization has not proven (a TXT record), an
 * inbound connector range wider than /24 (IPv4) or /48 (IPv6), more than 16 new ranges at once, or a
 * range in the node's own loopback, link-local or multicast addresses, and {@code localHopsAllowed: true}.
 *
 * <p>The server is the authority on these rules and enforces them on every request (the admin
 * module's domain, inbound and outbound connector routes); this mirrors them only as a guard. A file
 * is often written by the tenant it configures, and an operator who imports it with the node's
 * global token would give that tenant, unnoticed, what it could not have taken itself. Only when
 * the caller is a global administrator does {@code config import} ask for {@code --allow-global-settings}.
 * Rules the CLI cannot see (another organization's connectors, the node's own interface addresses)
 * are not mirrored.
 *
 * @param domains  the organization's accepted domains, verified or pending (empty for a new organization)
 * @param inbound  its inbound connectors
 * @param outbound its outbound connectors
 */
record GlobalSettings(List<JsonNode> domains, List<JsonNode> inbound, List<JsonNode> outbound) {

    static final int MAX_V4_PREFIX = 24;
    static final int MAX_V6_PREFIX = 48;
    static final int MAX_NEW_RANGES = 16;
    private static final String VERIFIED = "Verified";

    /** One line per setting of {@code file} that takes a global administrator; empty when there is none. */
    List<String> in(ConfigFile file) {
        List<String> out = new ArrayList<>();
        file.objects(Kind.DOMAIN).forEach(d -> domain(d, out));
        file.objects(Kind.INBOUND).forEach(c -> ranges(c, out));
        file.objects(Kind.OUTBOUND).forEach(c -> localHops(c, out));
        return List.copyOf(out);
    }

    /** An organization administrator gets at once only a domain it has, or a subdomain of one it has proven. */
    private void domain(ObjectNode d, List<String> out) {
        String name = lower(d.path("domainName").asText());
        if (domains.stream().anyMatch(a -> lower(a.path("domainName").asText()).equals(name))) return;
        boolean within = domains.stream().filter(a -> VERIFIED.equals(a.path("status").asText(VERIFIED)))
                .anyMatch(a -> name.endsWith("." + lower(a.path("domainName").asText())));
        if (!within)
            out.add("accepted domain " + name + ": not an accepted domain of the organization yet (an organization"
                    + " administrator has to prove it with a TXT record)");
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

    /** Saying again what is already so (same smart hosts, already allowed) is not asking for it. */
    private void localHops(ObjectNode c, List<String> out) {
        if (!c.path("localHopsAllowed").asBoolean(false)) return;
        boolean already = named(outbound, c.path("name").asText()).filter(o -> o.path("localHopsAllowed").asBoolean(false))
                .filter(o -> Fields.same(o.get("smartHosts"), c.get("smartHosts")) && o.path("useMxRecord").asBoolean()
                        == c.path("useMxRecord").asBoolean()).isPresent();
        if (!already)
            out.add("outbound connector " + c.path("name").asText() + ": localHopsAllowed: true (it may deliver to this node itself)");
    }

    private static Optional<JsonNode> named(List<JsonNode> items, String name) {
        return items.stream().filter(i -> lower(i.path("name").asText()).equals(lower(name))).findFirst();
    }

    private static String lower(String s) {
        String l = s.strip().toLowerCase(Locale.ROOT);
        return l.endsWith(".") ? l.substring(0, l.length() - 1) : l;
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
