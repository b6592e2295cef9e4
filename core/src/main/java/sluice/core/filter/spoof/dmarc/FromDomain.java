package sluice.core.filter.spoof.dmarc;

import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.Headers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * How many distinct domains are kept of the From fields; one that shows more is taken as showing any domain
     * ({@link AddressList.ShownDomains#truncated}), as no more than {@link DmarcEvaluator#MAX_SHOWN_LOOKUPS} of them
     * could be looked up anyway. Bounds the work for a header of 80,000 From fields or a field of 40,000 addresses.
     */
    static final int MAX_SHOWN_DOMAINS = 100;

    static Parsed of(byte[] content) {
        // one more than is read, to know there are more: those past the cap may show any domain
        List<String> fields = Headers.all(content, "From", AddressList.MAX_FROM_FIELDS + 1);
        if (fields.isEmpty()) return new Parsed(null, "the message has no From field");
        boolean moreFields = fields.size() > AddressList.MAX_FROM_FIELDS;
        if (moreFields) fields = fields.subList(0, AddressList.MAX_FROM_FIELDS);
        List<String> addresses = new ArrayList<>();
        for (String field : fields) addresses.addAll(addresses(field));
        if (fields.size() == 1 && addresses.size() == 1) {
            // the parse every other reader of From uses (send-as, mail flow rules): they all see the same domain
            Domain domain = domainOf(addresses.getFirst());
            if (domain != null) return new Parsed(domain, null);
        }
        AddressList.ShownDomains shown = shown(addresses);
        return new Parsed(null, error(fields.size(), moreFields, addresses),
                moreFields ? new AddressList.ShownDomains(shown.domains(), true) : shown);
    }

    private static String error(int fields, boolean more, List<String> addresses) {
        if (more) return "the message has more than " + fields + " From fields (RFC 5322 section 3.6 allows one)";
        if (fields > 1) return "the message has " + fields + " From fields (RFC 5322 section 3.6 allows one)";
        if (addresses.size() != 1)
            return "the From field holds " + addresses.size() + " addresses; DMARC needs exactly one (RFC 7489 section 6.6.1)";
        String address = addresses.getFirst();
        return AddressList.isAddrSpec(address) ? "the From address '" + address + "' is no valid address"
                : "the From field holds no single address readers agree on; DMARC needs exactly one (RFC 7489 section 6.6.1)";
    }

    /**
     * The domain of each address Sluice reads, then those shown for the others (of which the first 16K characters are
     * read), each once; past {@link #MAX_SHOWN_DOMAINS} of them reading stops, and the result is truncated.
     */
    private static AddressList.ShownDomains shown(List<String> addresses) {
        Set<AddressList.Shown> out = new LinkedHashSet<>();
        StringBuilder unreadable = new StringBuilder();
        for (String address : addresses) {
            Domain domain = domainOf(address);
            if (domain == null) {
                if (unreadable.length() <= AddressList.MAX_SHOWN_CHARS) unreadable.append(address).append(' ');
            } else if (out.add(new AddressList.Shown(domain, true)) && out.size() > MAX_SHOWN_DOMAINS) {
                return new AddressList.ShownDomains(List.copyOf(out), true);
            }
        }
        AddressList.ShownDomains more = AddressList.shownDomains(unreadable.toString());
        out.addAll(more.domains());
        return new AddressList.ShownDomains(List.copyOf(out), more.truncated() || out.size() > MAX_SHOWN_DOMAINS);
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
