package sluice.core.filter.spoof.dmarc;

import sluice.core.mail.Domain;
import sluice.core.mail.Headers;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC5322.From domain DMARC evaluates (RFC 7489 section 6.6.1): exactly one From field holding
 * exactly one address. Anything else is an error the policy can act on, never a guess.
 */
final class FromDomain {

    /** Either a domain or the reason there is none. */
    record Parsed(Domain domain, String error) {
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
        int at = address.lastIndexOf('@');
        if (at < 0) return new Parsed(null, "the From address '" + address + "' has no domain");
        try {
            return new Parsed(new Domain(address.substring(at + 1)), null);
        } catch (IllegalArgumentException e) {
            return new Parsed(null, "the From address '" + address + "' has no valid domain");
        }
    }

    /** The addr-specs of an address list: comments dropped, display names skipped, split at top-level commas. */
    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int comment = 0;
        int angle = -1;
        String inAngle = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && (quoted || comment > 0)) { i++; continue; }
            if (comment > 0) {
                if (c == '(') comment++;
                else if (c == ')') comment--;
                continue;
            }
            if (c == '"') { quoted = !quoted; continue; }
            if (quoted) { current.append(c); continue; }
            if (c == '(') { comment++; continue; }
            if (c == '<') { angle = current.length(); continue; }
            if (c == '>' && angle >= 0) { inAngle = current.substring(angle).strip(); angle = -1; continue; }
            if (c == ',' || c == ';') {
                add(out, current, inAngle);
                current.setLength(0);
                inAngle = null;
                continue;
            }
            if (c == ':' && inAngle == null && angle < 0) { current.setLength(0); continue; } // "group:" prefix
            current.append(c);
        }
        add(out, current, inAngle);
        return out;
    }

    private static void add(List<String> out, StringBuilder current, String inAngle) {
        String address = inAngle != null ? inAngle : current.toString().strip();
        if (!address.isEmpty() && !address.contains(" ")) out.add(address);
        else if (!address.isEmpty() && address.contains("@")) out.add(address.substring(address.lastIndexOf(' ') + 1));
    }
}
