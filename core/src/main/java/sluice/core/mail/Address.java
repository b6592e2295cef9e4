package sluice.core.mail;

import java.util.Locale;

/**
 * An RFC 5321 mailbox: local part and domain. The local part keeps its case (RFC 5321 section 2.4)
 * but {@link #key()} folds it for directory look-ups, as every mail system in practice does.
 * Quoted local parts are kept quoted; source routes, percent hacks and bang paths are not parsed as
 * routing by anyone downstream: they are just characters of a local part, and the relay decision is
 * made on {@link #domain()} alone.
 */
public record Address(String localPart, Domain domain) {

    public Address {
        if (localPart == null || localPart.isEmpty()) throw new IllegalArgumentException("empty local part");
        if (localPart.length() > 64 && !localPart.startsWith("\""))
            throw new IllegalArgumentException("local part longer than 64 octets");
        if (!validLocalPart(localPart)) throw new IllegalArgumentException("invalid local part: " + localPart);
    }

    /**
     * RFC 5321 section 4.1.2: Dot-string or Quoted-string. Non-ASCII is allowed (RFC 6531); whether
     * the session may use it is the SMTP layer's business.
     */
    private static boolean validLocalPart(String s) {
        if (s.startsWith("\"")) {
            if (s.length() < 2 || !s.endsWith("\"")) return false;
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c == '\\') { if (++i >= s.length() - 1) return false; continue; }
                if (c == '"' || c < 32 || c == 127) return false;
            }
            return true;
        }
        if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128) continue;
            if (Character.isLetterOrDigit(c) || c == '.' || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0) continue;
            return false;
        }
        return true;
    }

    /**
     * Parses {@code local@domain}. The domain is the part after the last '@' outside quotes; an
     * address literal as domain is refused here (we never route to literals).
     */
    public static Address parse(String s) {
        if (s == null) throw new IllegalArgumentException("no address");
        int at = lastAtOutsideQuotes(s);
        if (at <= 0 || at == s.length() - 1) throw new IllegalArgumentException("not an address: " + s);
        String domain = s.substring(at + 1);
        if (domain.startsWith("[")) throw new IllegalArgumentException("address literals are not accepted: " + s);
        return new Address(s.substring(0, at), new Domain(domain));
    }

    private static int lastAtOutsideQuotes(String s) {
        boolean quoted = false;
        int at = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && quoted) { i++; continue; }
            if (c == '"') quoted = !quoted;
            else if (c == '@' && !quoted) at = i;
        }
        return quoted ? -1 : at;
    }

    /** The look-up key: local part lower-cased, canonical domain. */
    public String key() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain.name();
    }

    @Override
    public String toString() {
        return localPart + "@" + domain.name();
    }
}
