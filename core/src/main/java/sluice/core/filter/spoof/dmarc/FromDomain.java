package sluice.core.filter.spoof.dmarc;

import sluice.core.mail.Address;
import sluice.core.mail.AddressList;
import sluice.core.mail.Domain;
import sluice.core.mail.Headers;

import java.util.List;

/**
 * The RFC5322.From domain DMARC evaluates (RFC 7489 section 6.6.1): exactly one From field holding
 * exactly one address. Anything else is an error, never a guess; for one address Sluice cannot read, the domains
 * readers could show for it are given, whose policies apply.
 */
final class FromDomain {

    /**
     * Either a domain or the reason there is none.
     *
     * @param shown when the one address is no address Sluice reads ({@code ceo＠bank.example}, {@code ceo@⒈x.bank.example},
     *              {@code ceo@bank.example@evil.example}): the domains readers could show for it
     *              ({@link AddressList#shownDomains}, as mail flow rules read them), whose policies still apply; else none
     */
    record Parsed(Domain domain, String error, AddressList.ShownDomains shown) {
        Parsed(Domain domain, String error) {
            this(domain, error, new AddressList.ShownDomains(List.of(), false));
        }
    }

    private FromDomain() {
    }

    static Parsed of(byte[] content) {
        List<String> fields = Headers.all(content, "From", 3);
        if (fields.isEmpty()) return new Parsed(null, "the message has no From field");
        if (fields.size() > 1) return new Parsed(null, "the message has " + fields.size() + " From fields (RFC 5322 section 3.6 allows one)");
        List<String> addresses = addresses(fields.getFirst());
        if (addresses.size() != 1)
            return new Parsed(null, "the From field holds " + addresses.size() + " addresses; DMARC needs exactly one (RFC 7489 section 6.6.1)");
        String address = addresses.getFirst();
        if (!AddressList.isAddrSpec(address))
            return new Parsed(null, "the From field holds no single address readers agree on; DMARC needs exactly one (RFC 7489 section 6.6.1)",
                    AddressList.shownDomains(address));
        try {
            // the parse every other reader of From uses (send-as, mail flow rules): they all see the same domain
            return new Parsed(Address.parse(address).domain(), null);
        } catch (IllegalArgumentException e) {
            return new Parsed(null, "the From address '" + address + "' is no valid address", AddressList.shownDomains(address));
        }
    }

    static List<String> addresses(String value) {
        return AddressList.addrSpecs(value);
    }
}
