package sluice.core.rule;

import sluice.core.mail.AddressList;
import sluice.core.rule.FieldEncoding.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static sluice.core.rule.FieldEncoding.ADDRESS_CHAR;
import static sluice.core.rule.FieldEncoding.DOMAIN_LITERAL;
import static sluice.core.rule.FieldEncoding.MAX_ADDRESS;
import static sluice.core.rule.FieldEncoding.MAY_BE_EMPTY;
import static sluice.core.rule.FieldEncoding.ONE_ADDRESS;
import static sluice.core.rule.FieldEncoding.field;
import static sluice.core.rule.FieldEncoding.octets;
import static sluice.core.rule.FieldEncoding.pieces;

/**
 * What a setHeader address field must be before a rule may set it: addresses the shared parser ({@link AddressList})
 * reads, one per entry, groups closed, no address hidden in a display name, and the same addresses once written.
 */
final class AddressFieldCheck {

    private AddressFieldCheck() {
    }

    /**
     * Why an address-list value is not one a rule may set, or null: see {@link FieldEncoding#refusal}. The field as
     * written must read as the same addresses.
     */
    static String refusal(String name, String value) {
        List<String> addresses = AddressList.addrSpecs(value);
        for (String a : addresses) {
            if (!AddressList.isAddrSpec(a) && !a.matches(ADDRESS_CHAR + "+@" + DOMAIN_LITERAL))
                return name + " must be an address list (Name <local@domain>, local@domain, separated by commas): cannot read '" + a + "'";
            if (a.codePoints().anyMatch(c -> c > 127 && (Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT)))
                return name + ": the address '" + a + "' holds white space or an invisible format character";
            if (octets(a) > MAX_ADDRESS) return name + ": the address '" + a + "' is longer than " + MAX_ADDRESS + " octets";
        }
        if (addressInName(pieces(value)))
            return name + ": an address stands in a display name (a comma missing?): " + value;
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("from") && addresses.isEmpty()) return "From needs at least one address";
        if (ONE_ADDRESS.contains(n) && addresses.size() != 1)
            return name + " holds exactly one address" + (n.endsWith("from") ? " when a rule sets it (with several, RFC 5322"
                    + " section 3.6.2 needs a Sender, and DKIM signing and DMARC need one author)" : "");
        String entries = unreadableEntry(name, value, ONE_ADDRESS.contains(n), MAY_BE_EMPTY.contains(n));
        if (entries != null) return entries;
        // the last word: what readers find in the field as written must be what was checked
        String written = field(name, value).replace("\r\n", "");
        if (!AddressList.addrSpecs(written.substring(written.indexOf(':') + 1)).equals(addresses))
            return name + ": written as a header field, '" + value + "' would read as other addresses";
        return null;
    }

    /**
     * Why the entries of an address list are not each one mailbox, or null: an entry between commas must hold exactly
     * one address ({@code Jörg, boss@x} has an entry of none, which an encoded word would turn into something read as
     * an address), with no white space or comment inside the addr-spec ({@code jörg @x}: readers join or split it
     * differently, and its words may be encoded). A group ({@code name: a@x, b@y;}) needs its semicolon and may be
     * empty; a field of one mailbox holds none; a semicolon ends only a group.
     */
    private static String unreadableEntry(String name, String value, boolean mailboxes, boolean mayBeEmpty) {
        List<Token> entry = new ArrayList<>();
        boolean inGroup = false;
        int members = 0; // of the open group
        boolean afterGroup = false; // just after a group's ';', where a ',' ends no entry
        boolean seen = false; // an entry or a group
        for (Token t : pieces(value)) {
            if (!t.separator()) {
                entry.add(t);
                continue;
            }
            String s = t.text();
            if (s.equals(":")) {
                if (mailboxes) return name + " holds one mailbox, not a group (name: addresses;)";
                if (inGroup) return name + ": a group cannot hold a group: " + value;
                if (!AddressList.addrSpecs(text(entry)).isEmpty()) return name + ": a group's name holds an address: " + value;
                // it would be written as an encoded word, which the From parser (AddressList) refuses in a group's name:
                // a reader decoding it could show an address there
                if (!text(entry).chars().allMatch(c -> c < 0x80) || text(entry).contains("=?"))
                    return name + ": a group's name must be plain ASCII text: " + value;
                inGroup = true;
                members = 0;
                seen = true;
            } else {
                if (s.equals(";") && !inGroup)
                    return name + ": a semicolon ends a group (name: addresses;); separate addresses with commas";
                if (afterGroup && !empty(entry)) return name + ": a comma is missing after the group (name: addresses;)";
                boolean skipped = empty(entry) && (s.equals(",") ? afterGroup : members == 0);
                if (!skipped) {
                    String why = oneMailbox(name, entry);
                    if (why != null) return why;
                    members++;
                    seen = true;
                }
                afterGroup = s.equals(";");
                if (afterGroup) inGroup = false;
            }
            entry.clear();
        }
        if (inGroup) return name + ": a group ends with a semicolon (name: addresses;)";
        if (afterGroup && !empty(entry)) return name + ": a comma is missing after the group (name: addresses;)";
        if (!empty(entry)) return oneMailbox(name, entry);
        if (!seen && !mayBeEmpty) return name + " needs at least one address";
        return afterGroup || !seen ? null : name + ": an empty entry after the last comma";
    }

    private static boolean empty(List<Token> entry) {
        return entry.stream().allMatch(e -> e.blank() || e.comment());
    }

    /** Why this entry of an address list is not one mailbox without white space or comment in its addr-spec, or null. */
    private static String oneMailbox(String name, List<Token> entry) {
        String text = text(entry).strip();
        if (empty(entry)) return name + ": an empty entry between separators (a comma too many?)";
        int found = AddressList.addrSpecs(text).size();
        if (found == 0) return name + ": '" + text + "' holds no address (a name needs its <address>; a name with a comma needs quotes)";
        if (found > 1) return name + ": '" + text + "' reads as more than one address (a comma missing?)";
        Token angle = entry.stream().filter(Token::angle).findFirst().orElse(null);
        boolean inside;
        if (angle != null && entry.stream().takeWhile(t -> t != angle)
                .anyMatch(t -> t.kind() == Token.Kind.TEXT && !t.text().startsWith("\"") && t.text().contains("@")))
            return name + ": an address stands in a display name (quote the name, or a comma missing?): " + text;
        if (angle != null) {
            String spec = angle.text().substring(1, angle.text().length() - 1);
            inside = hasUnquoted(spec.strip(), " \t(");
        } else {
            // a bare addr-spec: one piece, with only blanks and comments around it
            int first = 0;
            int last = entry.size() - 1;
            while (entry.get(first).blank() || entry.get(first).comment()) first++;
            while (entry.get(last).blank() || entry.get(last).comment()) last--;
            inside = first != last;
        }
        return inside ? name + ": '" + text + "' has white space or a comment inside its address; write local@domain as one"
                + " word (a display name goes before <local@domain>)" : null;
    }

    private static String text(List<Token> tokens) {
        return tokens.stream().map(Token::text).collect(Collectors.joining());
    }

    /** Whether one of {@code chars} stands in {@code s} outside quoted strings. */
    private static boolean hasUnquoted(String s, String chars) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') i++;
            else if (c == '"') quoted = !quoted;
            else if (!quoted && chars.indexOf(c) >= 0) return true;
        }
        return false;
    }

    /**
     * Whether an addr-spec stands in the phrase before an {@code <...>} address ({@code a@b.example "Jörg" <j@x.example>},
     * a comma missing; {@code Müller@Firma GmbH <m@x.example>}): readers disagree about such a value.
     */
    private static boolean addressInName(List<Token> pieces) {
        boolean address = false;
        for (Token t : pieces) {
            if (t.separator()) address = false;
            else if (t.angle() && address) return true;
            else if (t.kind() == Token.Kind.LITERAL) address = true;
        }
        return false;
    }
}
