package sluice.core.filter.spoof.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed SPF record (RFC 7208 section 4.6, 5, 6). The whole record is parsed before anything is
 * evaluated, so a syntax error anywhere is a permerror even when an earlier mechanism would match
 * (section 4.6: "any syntax errors anywhere in the record MUST be detected").
 */
record SpfRecord(List<Directive> directives, String redirect, String exp) {

    enum Kind { ALL, INCLUDE, A, MX, PTR, IP4, IP6, EXISTS }

    /**
     * One directive. {@code domainSpec} is null when the mechanism names none; {@code network} is set
     * for ip4/ip6; the cidr lengths default to the full address.
     */
    record Directive(char qualifier, Kind kind, String domainSpec, byte[] network, int cidr4, int cidr6, String text) {
        SpfResult.Code result() {
            return switch (qualifier) {
                case '-' -> SpfResult.Code.FAIL;
                case '~' -> SpfResult.Code.SOFTFAIL;
                case '?' -> SpfResult.Code.NEUTRAL;
                default -> SpfResult.Code.PASS;
            };
        }
    }

    private static final Pattern MODIFIER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]*");
    // Section 5.6: the dotted quad, no leading zeros (the test suite reads "ip4-network" that way)
    private static final Pattern IP4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern DUAL_CIDR = Pattern.compile("(.*?)(?:/(\\d{1,4}))?(?://(\\d{1,4}))?");
    private static final Pattern CIDR = Pattern.compile("0|[1-9]\\d{0,3}");

    /** True when a TXT string is an SPF record: "v=spf1" then a space or the end (section 4.5). */
    static boolean isSpf(String txt) {
        return txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    static SpfRecord parse(String record) throws SpfError {
        for (int i = 0; i < record.length(); i++) {
            char c = record.charAt(i);
            // Section 3.1 / 4.6.1: records are 7-bit ASCII and terms are separated by spaces only
            if (c < 0x20 || c > 0x7e) throw SpfError.perm(String.format("character U+%04X is not allowed in an SPF record", (int) c));
        }
        List<Directive> directives = new ArrayList<>();
        String redirect = null;
        String exp = null;
        for (String term : record.substring(6).split(" ")) {
            if (term.isEmpty()) continue;
            int eq = term.indexOf('=');
            int stop = firstOf(term, ":/");
            if (eq >= 0 && (stop < 0 || eq < stop)) {
                String name = term.substring(0, eq);
                String value = term.substring(eq + 1);
                if (!MODIFIER_NAME.matcher(name).matches()) throw SpfError.perm("bad modifier name in '" + term + "'");
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "redirect" -> {
                        if (redirect != null) throw SpfError.perm("redirect appears twice (section 6)");
                        redirect = domainSpec(value, term);
                    }
                    case "exp" -> {
                        if (exp != null) throw SpfError.perm("exp appears twice (section 6)");
                        exp = domainSpec(value, term);
                    }
                    default -> SpfMacro.validate(value, false); // unknown modifiers are ignored but must be well formed
                }
            } else {
                directives.add(directive(term));
            }
        }
        return new SpfRecord(List.copyOf(directives), redirect, exp);
    }

    private static Directive directive(String term) throws SpfError {
        boolean qualified = "+-~?".indexOf(term.charAt(0)) >= 0;
        char qualifier = qualified ? term.charAt(0) : '+';
        String body = qualified ? term.substring(1) : term;
        int stop = firstOf(body, ":/");
        String name = (stop < 0 ? body : body.substring(0, stop)).toLowerCase(Locale.ROOT);
        String args = stop < 0 ? "" : body.substring(stop);
        Kind kind = switch (name) {
            case "all" -> Kind.ALL;
            case "include" -> Kind.INCLUDE;
            case "a" -> Kind.A;
            case "mx" -> Kind.MX;
            case "ptr" -> Kind.PTR;
            case "ip4" -> Kind.IP4;
            case "ip6" -> Kind.IP6;
            case "exists" -> Kind.EXISTS;
            default -> throw SpfError.perm("unknown mechanism '" + term + "'");
        };
        return switch (kind) {
            case ALL -> {
                if (!args.isEmpty()) throw SpfError.perm("'all' takes no argument: '" + term + "'");
                yield new Directive(qualifier, kind, null, null, 32, 128, term);
            }
            case INCLUDE, EXISTS -> {
                if (!args.startsWith(":")) throw SpfError.perm("'" + name + "' needs ':' and a domain: '" + term + "'");
                yield new Directive(qualifier, kind, domainSpec(args.substring(1), term), null, 32, 128, term);
            }
            case PTR -> {
                if (!args.isEmpty() && !args.startsWith(":")) throw SpfError.perm("bad 'ptr' argument: '" + term + "'");
                String spec = args.isEmpty() ? null : domainSpec(args.substring(1), term);
                yield new Directive(qualifier, kind, spec, null, 32, 128, term);
            }
            case A, MX -> dualCidr(qualifier, kind, args, term);
            case IP4, IP6 -> network(qualifier, kind, args, term);
        };
    }

    private static Directive dualCidr(char qualifier, Kind kind, String args, String term) throws SpfError {
        Matcher m = DUAL_CIDR.matcher(args);
        if (!m.matches()) throw SpfError.perm("bad mechanism '" + term + "'");
        String spec = m.group(1);
        if (!spec.isEmpty() && !spec.startsWith(":")) throw SpfError.perm("bad mechanism '" + term + "'");
        String domain = spec.isEmpty() ? null : domainSpec(spec.substring(1), term);
        int cidr4 = m.group(2) == null ? 32 : cidr(m.group(2), 32, term);
        int cidr6 = m.group(3) == null ? 128 : cidr(m.group(3), 128, term);
        return new Directive(qualifier, kind, domain, null, cidr4, cidr6, term);
    }

    private static Directive network(char qualifier, Kind kind, String args, String term) throws SpfError {
        if (!args.startsWith(":")) throw SpfError.perm("'" + kind.name().toLowerCase(Locale.ROOT) + "' needs ':' and a network: '" + term + "'");
        String rest = args.substring(1);
        int slash = rest.indexOf('/');
        String addr = slash < 0 ? rest : rest.substring(0, slash);
        boolean v4 = kind == Kind.IP4;
        int max = v4 ? 32 : 128;
        int length = slash < 0 ? max : cidr(rest.substring(slash + 1), max, term);
        byte[] network = v4 ? ip4(addr, term) : ip6(addr, term);
        return new Directive(qualifier, kind, null, network, v4 ? length : 32, v4 ? 128 : length, term);
    }

    private static byte[] ip4(String s, String term) throws SpfError {
        if (!IP4.matcher(s).matches()) throw SpfError.perm("not an IPv4 network: '" + term + "'");
        return Inet4Address.ofLiteral(s).getAddress();
    }

    private static byte[] ip6(String s, String term) throws SpfError {
        if (s.isEmpty() || !s.contains(":") || !s.matches("[0-9A-Fa-f:.]+")) throw SpfError.perm("not an IPv6 network: '" + term + "'");
        try {
            InetAddress a = Inet6Address.ofLiteral(s);
            if (a instanceof Inet6Address) return a.getAddress();
            byte[] mapped = new byte[16]; // an IPv4-mapped literal comes back as IPv4
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
            return mapped;
        } catch (IllegalArgumentException e) {
            throw SpfError.perm("not an IPv6 network: '" + term + "'");
        }
    }

    private static int cidr(String s, int max, String term) throws SpfError {
        if (!CIDR.matcher(s).matches() || Integer.parseInt(s) > max)
            throw SpfError.perm("bad CIDR length '" + s + "' in '" + term + "' (section 5.6)");
        return Integer.parseInt(s);
    }

    /**
     * Section 7.1: domain-spec = macro-string domain-end, where domain-end is "." toplabel ["."] or a
     * macro. Checked on the unexpanded text, as the grammar is.
     */
    static String domainSpec(String spec, String term) throws SpfError {
        if (spec.isEmpty()) throw SpfError.perm("empty domain in '" + term + "'");
        SpfMacro.validate(spec, false);
        String s = spec.endsWith(".") ? spec.substring(0, spec.length() - 1) : spec;
        if (s.endsWith("}") && SpfMacro.endsWithMacro(s)) return spec;
        int dot = s.lastIndexOf('.');
        if (dot < 0 || !isTopLabel(s, dot + 1))
            throw SpfError.perm("'" + spec + "' does not end in a valid top-level label (section 7.1)");
        return spec;
    }

    /**
     * Section 7.1: toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ),
     * checked from {@code from} to the end in one pass. A regular expression of that grammar backtracks
     * quadratically on a long label that ends in a bad character, and the record is the sender's to write.
     */
    static boolean isTopLabel(String s, int from) {
        int n = s.length();
        if (from >= n) return false;
        boolean letter = false;
        boolean hyphen = false;
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            if (c == '-') hyphen = true;
            else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) letter = true;
            else if (c < '0' || c > '9') return false;
        }
        if (!hyphen) return letter;
        return s.charAt(from) != '-' && s.charAt(n - 1) != '-';
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
        return -1;
    }
}
