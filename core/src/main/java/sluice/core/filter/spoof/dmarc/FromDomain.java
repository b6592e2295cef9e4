package sluice.core.filter.spoof.dmarc;

import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.Headers;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC5322.From domain DMARC evaluates (RFC 7489 section 6.6.1): exactly one From field holding exactly one address
 * Sluice reads. Anything else is an error, never a guess; but the domains readers could show for it are given, whose
 * policies apply: of each address of each From field (section 6.6.1 lets DMARC apply to each), its domain when Sluice
 * reads it, else those {@link AddressList#shownDomains} finds.
 */
final class FromDomain {

    /**
     * Either a domain or the reason there is none.
     *
     * @param shown when there is no domain: the domains readers could show for the From fields ({@code ceo＠bank.example},
     *              {@code ceo@⒈x.bank.example}, {@code ceo@bank.example@evil.example}, {@code ceo@bank.example, x@evil.example}),
     *              as mail flow rules read them, whose policies still apply; else none
     */
    record Parsed(Domain domain, String error, AddressList.ShownDomains shown) {
        Parsed(Domain domain, String error) {
            this(domain, error, new AddressList.ShownDomains(List.of(), false));
        }
    }

    private FromDomain() {
    }

    static Parsed of(byte[] content) {
        List<String> fields = Headers.all(content, "From", Integer.MAX_VALUE);
        if (fields.isEmpty()) return new Parsed(null, "the message has no From field");
        List<String> addresses = new ArrayList<>();
        for (String field : fields) addresses.addAll(addresses(field));
        if (fields.size() == 1 && addresses.size() == 1) {
            // the parse every other reader of From uses (send-as, mail flow rules): they all see the same domain
            Domain domain = domainOf(addresses.getFirst());
            if (domain != null) return new Parsed(domain, null);
        }
        return new Parsed(null, error(fields.size(), addresses), shown(addresses));
    }

    private static String error(int fields, List<String> addresses) {
        if (fields > 1) return "the message has " + fields + " From fields (RFC 5322 section 3.6 allows one)";
        if (addresses.size() != 1)
            return "the From field holds " + addresses.size() + " addresses; DMARC needs exactly one (RFC 7489 section 6.6.1)";
        String address = addresses.getFirst();
        return AddressList.isAddrSpec(address) ? "the From address '" + address + "' is no valid address"
                : "the From field holds no single address readers agree on; DMARC needs exactly one (RFC 7489 section 6.6.1)";
    }

    /** The domain of each address Sluice reads, then those shown for the others (of which the first 16K characters are read). */
    private static AddressList.ShownDomains shown(List<String> addresses) {
        List<AddressList.Shown> out = new ArrayList<>();
        StringBuilder unreadable = new StringBuilder();
        for (String address : addresses) {
            Domain domain = domainOf(address);
            if (domain == null) {
                if (unreadable.length() <= AddressList.MAX_SHOWN_CHARS) unreadable.append(address).append(' ');
            } else if (!out.contains(new AddressList.Shown(domain, true))) out.add(new AddressList.Shown(domain, true));
        }
        AddressList.ShownDomains more = AddressList.shownDomains(unreadable.toString());
        for (AddressList.Shown s : more.domains()) if (!out.contains(s)) out.add(s);
        return new AddressList.ShownDomains(out, more.truncated());
    }

    /** The domain of an address Sluice reads, or null. */
    private static Domain domainOf(String address) {
        if (!AddressList.isAddrSpec(address)) return null;
        try {
            return Address.parse(address).domain();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static List<String> addresses(String value) {
        return AddressList.addrSpecs(value);
    }
}
