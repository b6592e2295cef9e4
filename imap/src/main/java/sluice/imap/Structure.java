package sluice.imap;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;

import java.util.Locale;
import java.util.Map;

/** ENVELOPE and BODYSTRUCTURE/BODY (RFC 9051 section 7.5.2) of a parsed message. */
final class Structure {

    /**
     * Stands in for the '=' of each "=?" while Mime4j parses an address list, so that it finds no
     * encoded word to decode: ENVELOPE carries names as the header has them, RFC 2047 encoded words
     * kept (RFC 3501 section 7.4.2); decoding them is the client's business.
     */
    private static final char MASK = '\uE000';

    private Structure() {
    }

    static void envelope(MimePart m, ResponseBuilder r) {
        r.text("(").nstring(m.header("Date")).text(" ").nstring(m.header("Subject")).text(" ");
        String from = m.header("From");
        addresses(from, r);
        r.text(" ");
        addresses(m.header("Sender") != null ? m.header("Sender") : from, r);
        r.text(" ");
        addresses(m.header("Reply-To") != null ? m.header("Reply-To") : from, r);
        for (String f : new String[]{"To", "Cc", "Bcc"}) {
            r.text(" ");
            addresses(m.header(f), r);
        }
        r.text(" ").nstring(m.header("In-Reply-To")).text(" ").nstring(m.header("Message-ID")).text(")");
    }

    private static void addresses(String value, ResponseBuilder r) {
        AddressList list = null;
        if (value != null && value.indexOf(MASK) < 0) {
            try {
                list = DefaultAddressParser.DEFAULT.parseAddressList(value.replace("=?", MASK + "?"));
            } catch (Exception e) {
                list = null;
            }
        }
        if (list == null || list.isEmpty()) {
            r.text("NIL");
            return;
        }
        r.text("(");
        for (Address a : list) {
            if (a instanceof Mailbox mb) {
                address(mb, r);
            } else if (a instanceof Group g) { // RFC 9051: group start (NIL NIL name NIL), members, end (NIL NIL NIL NIL)
                r.text("(NIL NIL ").string(raw(g.getName())).text(" NIL)");
                for (Mailbox mb : g.getMailboxes()) address(mb, r);
                r.text("(NIL NIL NIL NIL)");
            }
        }
        r.text(")");
    }

    private static void address(Mailbox mb, ResponseBuilder r) {
        r.text("(").nstring(raw(mb.getName())).text(" NIL ").nstring(mb.getLocalPart()).text(" ")
                .nstring(mb.getDomain()).text(")");
    }

    /** A name as the header has it: Mime4j would decode its encoded words (see {@link #MASK}). */
    private static String raw(String masked) {
        return masked == null ? null : masked.replace(MASK + "?", "=?");
    }

    /** BODYSTRUCTURE with extension data when {@code extensible}, else BODY. */
    static void body(MimePart p, boolean extensible, ResponseBuilder r) {
        r.text("(");
        if (p.multipart()) {
            for (MimePart child : p.children()) body(child, extensible, r);
            r.text(" ").string(upper(p.subtype()));
            if (extensible) {
                r.text(" ");
                params(p.params(), r);
                r.text(" ");
                disposition(p, r);
                r.text(" NIL NIL");
            }
            r.text(")");
            return;
        }
        r.string(upper(p.type())).text(" ").string(upper(p.subtype())).text(" ");
        params(p.params(), r);
        r.text(" ").nstring(p.header("Content-ID")).text(" ").nstring(p.header("Content-Description")).text(" ");
        String encoding = p.header("Content-Transfer-Encoding");
        r.string(encoding == null ? "7BIT" : upper(encoding.strip())).text(" " + p.bodySize());
        if (p.message() != null) {
            r.text(" ");
            envelope(p.message(), r);
            r.text(" ");
            body(p.message(), extensible, r);
            r.text(" " + p.bodyLines());
        } else if (p.type().equals("text")) {
            r.text(" " + p.bodyLines());
        }
        if (extensible) {
            r.text(" ").nstring(p.header("Content-MD5")).text(" ");
            disposition(p, r);
            r.text(" NIL NIL");
        }
        r.text(")");
    }

    private static void params(Map<String, String> params, ResponseBuilder r) {
        if (params.isEmpty()) {
            r.text("NIL");
            return;
        }
        r.text("(");
        boolean first = true;
        for (var e : params.entrySet()) {
            if (!first) r.text(" ");
            first = false;
            r.string(upper(e.getKey())).text(" ").string(e.getValue() == null ? "" : e.getValue());
        }
        r.text(")");
    }

    private static void disposition(MimePart p, ResponseBuilder r) {
        String d = p.disposition();
        if (d == null || d.isEmpty()) {
            r.text("NIL");
            return;
        }
        r.text("(").string(d).text(" "); // as written: clients compare it with Part.ATTACHMENT ("attachment")
        params(p.dispositionParams(), r);
        r.text(")");
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
