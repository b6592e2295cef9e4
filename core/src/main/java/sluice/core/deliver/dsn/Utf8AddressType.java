package sluice.core.deliver.dsn;

import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * How a report writes an address: the {@code rfc822} type of RFC 3464 for an ASCII address, as always,
 * and the {@code utf-8} type of RFC 6533 section 3 for one that is not ASCII. That type has three
 * forms: the address itself (utf-8-address, for the UTF-8 fields of message/global-delivery-status);
 * utf-8-addr-unitext, the address with the ASCII characters xtext cannot carry (controls, space,
 * backslash, '+', '=') written as {@code \x{HEX}}; and utf-8-addr-xtext, which writes every non-ASCII
 * character so as well: the only form a 7-bit message/delivery-status can carry. A client's ORCPT of
 * type utf-8 arrives (xtext-decoded by the SMTP layer) in the unitext or xtext form.
 */
final class Utf8AddressType {

    private static final String UTF8 = "utf-8;"; // RFC 6533 ABNF: "utf-8;" with no blank before the address

    private Utf8AddressType() {
    }

    static boolean isAscii(String s) {
        return s == null || s.chars().allMatch(c -> c < 128);
    }

    /** The value of a Final-Recipient field (only a global report carries a non-ASCII address). */
    static String finalRecipient(String address) {
        return isAscii(address) ? "rfc822; " + address : UTF8 + itself(address);
    }

    /**
     * Whether an ORCPT ("type;address", xtext-decoded) can be written into a 7-bit report: any ASCII
     * one, and a non-ASCII one of type rfc822 or utf-8 (as utf-8-addr-xtext). Another type has no 7-bit
     * form for non-ASCII text, so only a global report can carry it.
     */
    static boolean fitsAscii(String orcpt) {
        if (isAscii(orcpt)) return true;
        int semi = orcpt.indexOf(';');
        String type = semi < 0 ? "" : orcpt.substring(0, semi).strip().toLowerCase(Locale.ROOT);
        return type.equals("rfc822") || type.equals("utf-8");
    }

    /**
     * The value of an Original-Recipient field for {@code orcpt} ("type;address", xtext-decoded; RFC 3464
     * section 2.3.1). An ASCII ORCPT is written as the client gave it, unless it is of type utf-8 and the
     * report is global: then as the address it stands for. A non-ASCII address (given as utf-8 or,
     * wrongly, as rfc822) is of type utf-8: the address itself in a global report, utf-8-addr-xtext in a
     * 7-bit one. An escape that is not well formed is taken as the text it is.
     */
    static String originalRecipient(String orcpt, boolean global) {
        String value = orcpt.replaceAll("[\\r\\n]+", " ");
        int semi = value.indexOf(';');
        String type = semi < 0 ? "" : value.substring(0, semi).strip().toLowerCase(Locale.ROOT);
        if (!type.equals("rfc822") && !type.equals("utf-8")) return value;
        String given = value.substring(semi + 1).strip();
        boolean utf8Type = type.equals("utf-8");
        String address = utf8Type ? unquoted(given) : given;
        if (address == null) address = given;
        if (isAscii(address)) return global && utf8Type ? UTF8 + itself(address) : value;
        if (!global && isAscii(value)) return value; // already utf-8-addr-xtext
        return UTF8 + (global ? itself(address) : xtext(address));
    }

    /** {@code address} in utf-8-addr-xtext form: 7-bit, every character but QCHAR written as {@code \x{HEX}}. */
    static String xtext(String address) {
        return escaped(address, c -> c > ' ' && c < 127 && c != '\\' && c != '+' && c != '=');
    }

    /**
     * {@code address} as a global report writes it: the address itself (utf-8-address), which readers
     * show as it is; only a control character, which no mailbox has and no field can carry, is escaped.
     */
    static String itself(String address) {
        return escaped(address, c -> c >= ' ' && c != 127);
    }

    private static String escaped(String address, IntPredicate plain) {
        StringBuilder out = new StringBuilder(address.length() + 8);
        address.codePoints().forEach(c -> {
            if (plain.test(c)) out.appendCodePoint(c);
            else out.append("\\x{").append(String.format(Locale.ROOT, "%02X", c)).append('}');
        });
        return out.toString();
    }

    /** The address a utf-8-addr-xtext or -unitext stands for ({@code \x{HEX}} decoded), or null when an escape is not well formed. */
    static String unquoted(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            if (!text.startsWith("\\x{", i)) {
                out.append(text.charAt(i++));
                continue;
            }
            int close = text.indexOf('}', i);
            String hex = close < 0 ? "" : text.substring(i + 3, close);
            if (hex.isEmpty() || hex.length() > 6 || !hex.chars().allMatch(c -> "0123456789abcdefABCDEF".indexOf(c) >= 0)) return null;
            int c = Integer.parseInt(hex, 16);
            if (c == 0 || c > Character.MAX_CODE_POINT || c >= 0xD800 && c <= 0xDFFF) return null;
            out.appendCodePoint(c);
            i = close + 1;
        }
        return out.toString();
    }
}
