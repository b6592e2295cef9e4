package sluice.imap;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One FETCH data item (RFC 9051 section 6.4.5), parsed: a plain item (FLAGS, UID, ENVELOPE, ...)
 * or a body section with its part path, text specifier, header field names and partial range.
 *
 * @param name     FLAGS, UID, INTERNALDATE, RFC822.SIZE, RFC822, RFC822.HEADER, RFC822.TEXT,
 *                 ENVELOPE, BODY, BODYSTRUCTURE, or BODY[ for a section
 * @param specifier "", HEADER, TEXT, MIME, HEADER.FIELDS or HEADER.FIELDS.NOT
 * @param partial  {start, length}, or null
 */
record FetchItem(String name, int[] path, String specifier, List<String> fields, boolean peek, long[] partial) {

    static final String SECTION = "BODY[";

    static FetchItem simple(String name) {
        return new FetchItem(name, new int[0], "", List.of(), false, null);
    }

    /** The items of a FETCH command: one item, a macro, or a parenthesised list. */
    static List<FetchItem> parseList(Args a) {
        List<FetchItem> items = new ArrayList<>();
        if (a.accept('(')) {
            while (!a.accept(')')) {
                if (a.atEnd()) throw new ImapSyntaxException("unterminated list of fetch items");
                if (!items.isEmpty()) a.sp();
                items.add(parse(a));
            }
            if (items.isEmpty()) throw new ImapSyntaxException("empty list of fetch items");
            return items;
        }
        FetchItem first = parse(a);
        switch (first.name) {
            case "ALL" -> items.addAll(List.of(simple("FLAGS"), simple("INTERNALDATE"), simple("RFC822.SIZE"), simple("ENVELOPE")));
            case "FAST" -> items.addAll(List.of(simple("FLAGS"), simple("INTERNALDATE"), simple("RFC822.SIZE")));
            case "FULL" -> items.addAll(List.of(simple("FLAGS"), simple("INTERNALDATE"), simple("RFC822.SIZE"), simple("ENVELOPE"), simple("BODY")));
            default -> items.add(first);
        }
        return items;
    }

    private static FetchItem parse(Args a) {
        StringBuilder name = new StringBuilder();
        while (!a.atEnd() && (Character.isLetterOrDigit(a.peek()) || a.peek() == '.')) name.append(a.take());
        String n = name.toString().toUpperCase(Locale.ROOT);
        if (a.peek() != '[') {
            return switch (n) {
                case "FLAGS", "UID", "INTERNALDATE", "RFC822.SIZE", "RFC822", "RFC822.HEADER", "RFC822.TEXT",
                     "ENVELOPE", "BODY", "BODYSTRUCTURE", "ALL", "FAST", "FULL" -> simple(n);
                case "" -> throw new ImapSyntaxException("expected a fetch item");
                default -> throw new ImapSyntaxException("unknown fetch item " + n);
            };
        }
        boolean peek = switch (n) {
            case "BODY" -> false;
            case "BODY.PEEK" -> true;
            default -> throw new ImapSyntaxException("a section is allowed only after BODY or BODY.PEEK, not " + n);
        };
        a.expect('[');
        List<Integer> path = new ArrayList<>();
        String specifier = "";
        List<String> fields = List.of();
        while (a.peek() != ']') {
            StringBuilder word = new StringBuilder();
            while (!a.atEnd() && a.peek() != '.' && a.peek() != ']' && a.peek() != ' ') word.append(a.take());
            String w = word.toString().toUpperCase(Locale.ROOT);
            if (specifier.isEmpty() && w.chars().allMatch(Character::isDigit) && !w.isEmpty() && w.length() < 9) {
                path.add(Integer.parseInt(w));
                if (path.getLast() == 0) throw new ImapSyntaxException("section parts are numbered from 1");
            } else {
                specifier = specifier.isEmpty() ? w : specifier + "." + w;
            }
            if (!a.accept('.')) break;
        }
        switch (specifier) {
            case "", "TEXT", "HEADER" -> { }
            case "MIME" -> { if (path.isEmpty()) throw new ImapSyntaxException("MIME needs a part number"); }
            case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                a.sp();
                a.expect('(');
                List<String> names = new ArrayList<>();
                while (!a.accept(')')) {
                    if (a.atEnd()) throw new ImapSyntaxException("unterminated list of header fields");
                    if (!names.isEmpty()) a.sp();
                    names.add(a.astring());
                }
                if (names.isEmpty()) throw new ImapSyntaxException("empty list of header fields");
                fields = List.copyOf(names);
            }
            default -> throw new ImapSyntaxException("unknown section " + specifier);
        }
        a.expect(']');
        long[] partial = null;
        if (a.accept('<')) {
            String range = a.token();
            if (!range.endsWith(">")) throw new ImapSyntaxException("a partial range is written <start.length>");
            String[] p = range.substring(0, range.length() - 1).split("\\.", -1);
            try {
                partial = new long[]{Long.parseLong(p[0]), Long.parseLong(p[1])};
                if (p.length != 2 || partial[0] < 0 || partial[1] < 1) throw new NumberFormatException();
            } catch (RuntimeException e) {
                throw new ImapSyntaxException("a partial range is written <start.length> with length at least 1");
            }
        }
        return new FetchItem(SECTION, path.stream().mapToInt(Integer::intValue).toArray(), specifier, fields, peek, partial);
    }

    /** True when fetching this item sets \Seen (RFC 9051 section 6.4.5). */
    boolean setsSeen() {
        return (name.equals(SECTION) && !peek) || name.equals("RFC822") || name.equals("RFC822.TEXT");
    }

    boolean needsContent() {
        return switch (name) {
            case "FLAGS", "UID", "INTERNALDATE", "RFC822.SIZE" -> false;
            default -> true;
        };
    }

    /** How the item is named in the response, e.g. {@code BODY[1.HEADER.FIELDS (FROM)]<0>}. */
    String responseName() {
        if (!name.equals(SECTION)) return name;
        StringBuilder b = new StringBuilder("BODY[");
        for (int i = 0; i < path.length; i++) b.append(i > 0 ? "." : "").append(path[i]);
        if (!specifier.isEmpty()) b.append(path.length > 0 ? "." : "").append(specifier);
        if (!fields.isEmpty()) b.append(" (").append(String.join(" ", fields.stream().map(f -> f.toUpperCase(Locale.ROOT)).toList())).append(")");
        b.append("]");
        if (partial != null) b.append("<").append(partial[0]).append(">");
        return b.toString();
    }

    /** Equal for items that ask for the same data (names are case-insensitive, PEEK makes no difference). */
    String key() {
        return responseName() + (partial == null ? "" : "." + partial[1]);
    }

    /**
     * The octets of this section of {@code stored}, or null when the part does not exist. BODY[]
     * needs no parsing and the message's own HEADER and TEXT only its header: the MIME tree is built
     * for numbered parts alone.
     */
    byte[] section(StoredMessage stored) {
        byte[] whole;
        if (path.length == 0) {
            MimePart m = specifier.isEmpty() ? null : stored.header();
            whole = m == null ? stored.raw() : text(m);
        } else {
            MimePart part = stored.tree().part(path);
            if (part == null) return null;
            byte[] raw = stored.raw();
            whole = switch (specifier) {
                case "" -> slice(raw, part.bodyStart(), part.end());
                case "MIME" -> slice(raw, part.headerStart(), part.bodyStart());
                // HEADER and TEXT of a part address its encapsulated message (message/rfc822).
                default -> part.message() == null ? null : text(part.message());
            };
        }
        if (whole == null || partial == null) return whole;
        // Both ends are clamped to the data before adding: <1.9223372036854775807> must not overflow.
        int from = (int) Math.min(partial[0], whole.length);
        int to = (int) Math.min(whole.length, from + Math.min(partial[1], whole.length));
        return slice(whole, from, to);
    }

    /** HEADER, TEXT or HEADER.FIELDS[.NOT] of the message {@code m}. */
    private byte[] text(MimePart m) {
        return switch (specifier) {
            case "HEADER" -> slice(m.raw(), m.headerStart(), m.bodyStart());
            case "TEXT" -> slice(m.raw(), m.bodyStart(), m.end());
            default -> fields(m, specifier.endsWith(".NOT"));
        };
    }

    private byte[] fields(MimePart m, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MimePart.Header h : m.headers()) {
            boolean listed = fields.stream().anyMatch(f -> f.equalsIgnoreCase(h.name()));
            if (listed != not) {
                out.write(m.raw(), h.start(), h.end() - h.start());
                if (m.raw()[h.end() - 1] != '\n') out.writeBytes(new byte[]{'\r', '\n'});
            }
        }
        out.writeBytes(new byte[]{'\r', '\n'});
        return out.toByteArray();
    }

    private static byte[] slice(byte[] raw, int from, int to) {
        return java.util.Arrays.copyOfRange(raw, from, Math.max(from, to));
    }
}
