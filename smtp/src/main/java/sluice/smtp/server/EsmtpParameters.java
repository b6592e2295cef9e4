package sluice.smtp.server;

import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ESMTP parameters of MAIL and RCPT (RFC 5321 section 4.1.2 esmtp-param): SIZE (RFC 1870), BODY
 * (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531), RET and ENVID, NOTIFY and ORCPT (RFC 3461), AUTH
 * (RFC 4954 section 5). A parameter we did not advertise is refused with 555 5.5.4 (RFC 5321
 * section 4.1.1.11); a known parameter with a bad value, or given twice, with 501 5.5.4.
 */
final class EsmtpParameters {

    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final int MAX_ENVID = 100;
    private static final int MAX_ORCPT = 500;

    private EsmtpParameters() {
    }

    static MailFrom mailFrom(String reversePath, String params, long maxSize, boolean authEnabled) throws ReplyException {
        Map<String, String> p = split(params);
        long size = -1;
        MailFrom.Body body = MailFrom.Body.SEVEN_BIT;
        boolean smtpUtf8 = false;
        MailFrom.Ret ret = null;
        String envId = null;
        for (var e : p.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "SIZE" -> size = size(v, maxSize);
                case "BODY" -> body = switch (upper(required("BODY", v))) {
                    case "7BIT" -> MailFrom.Body.SEVEN_BIT;
                    case "8BITMIME" -> MailFrom.Body.EIGHT_BIT_MIME;
                    case "BINARYMIME" -> throw unsupported("BODY=BINARYMIME"); // not advertised: see Protocol.ehloReply
                    default -> throw invalid("BODY");
                };
                case "SMTPUTF8" -> {
                    if (v != null) throw invalid("SMTPUTF8");
                    smtpUtf8 = true;
                }
                case "RET" -> ret = switch (upper(required("RET", v))) {
                    case "FULL" -> MailFrom.Ret.FULL;
                    case "HDRS" -> MailFrom.Ret.HDRS;
                    default -> throw invalid("RET");
                };
                case "ENVID" -> {
                    if (required("ENVID", v).length() > MAX_ENVID) throw invalid("ENVID");
                    envId = xtext("ENVID", v);
                }
                case "AUTH" -> {
                    if (!authEnabled) throw unsupported("AUTH");
                    if (!"<>".equals(required("AUTH", v))) xtext("AUTH", v); // validated, not trusted (RFC 4954 section 5)
                }
                default -> throw unsupported(e.getKey());
            }
        }
        return new MailFrom(reversePath, size, body, smtpUtf8, ret, envId);
    }

    static RcptTo rcptTo(String forwardPath, String params) throws ReplyException {
        Map<String, String> p = split(params);
        Set<RcptTo.Notify> notify = EnumSet.noneOf(RcptTo.Notify.class);
        String orcpt = null;
        for (var e : p.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "NOTIFY" -> notify = notify(required("NOTIFY", v));
                case "ORCPT" -> orcpt = orcpt(required("ORCPT", v));
                default -> throw unsupported(e.getKey());
            }
        }
        return new RcptTo(forwardPath, notify, orcpt);
    }

    private static Map<String, String> split(String params) throws ReplyException {
        Map<String, String> out = new LinkedHashMap<>();
        if (params.isBlank()) return out;
        for (String param : params.strip().split(" +")) {
            int eq = param.indexOf('=');
            String key = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? null : param.substring(eq + 1);
            if (!KEYWORD.matcher(key).matches()) throw new ReplyException(Replies.syntax("bad parameter " + clip(key)));
            if (value != null && (value.isEmpty() || value.chars().anyMatch(c -> c < 33 || c == '=' || c == 127)))
                throw invalid(upper(key));
            if (out.put(upper(key), value) != null) throw new ReplyException(Reply.of(501, "5.5.4", "Duplicate parameter " + upper(key)));
        }
        return out;
    }

    private static long size(String v, long maxSize) throws ReplyException {
        required("SIZE", v);
        if (v.length() > 20 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) throw invalid("SIZE");
        long size;
        try {
            size = Long.parseLong(v);
        } catch (NumberFormatException e) {
            size = Long.MAX_VALUE;
        }
        if (size > maxSize) throw new ReplyException(Replies.MESSAGE_TOO_BIG);
        return size;
    }

    private static Set<RcptTo.Notify> notify(String v) throws ReplyException {
        Set<RcptTo.Notify> set = EnumSet.noneOf(RcptTo.Notify.class);
        for (String item : v.split(",", -1)) {
            try {
                set.add(RcptTo.Notify.valueOf(upper(item)));
            } catch (IllegalArgumentException e) {
                throw invalid("NOTIFY");
            }
        }
        if (set.contains(RcptTo.Notify.NEVER) && set.size() > 1) throw invalid("NOTIFY"); // RFC 3461 section 4.1
        return set;
    }

    private static String orcpt(String v) throws ReplyException {
        int semi = v.indexOf(';');
        if (v.length() > MAX_ORCPT || semi <= 0 || !KEYWORD.matcher(v.substring(0, semi)).matches()) throw invalid("ORCPT");
        String decoded = xtext("ORCPT", v.substring(semi + 1));
        if (decoded.isEmpty()) throw invalid("ORCPT");
        return v.substring(0, semi) + ";" + decoded;
    }

    /**
     * xtext of RFC 3461 section 4: printable ASCII except '+' and '=', and "+HH" for any octet. The
     * octets are read as UTF-8 (Latin-1 if they are not UTF-8), so that relaying encodes the same
     * octets again instead of the UTF-8 form of each one.
     */
    static String xtext(String name, String v) throws ReplyException {
        ByteArrayOutputStream octets = new ByteArrayOutputStream(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '+') {
                if (i + 2 >= v.length()) throw invalid(name);
                int hi = Character.digit(v.charAt(i + 1), 16), lo = Character.digit(v.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw invalid(name);
                octets.write(hi * 16 + lo);
                i += 2;
            } else if (c < 33 || c > 126 || c == '=') {
                throw invalid(name);
            } else {
                octets.write(c);
            }
        }
        byte[] b = octets.toByteArray();
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    private static String required(String name, String v) throws ReplyException {
        if (v == null) throw invalid(name);
        return v;
    }

    private static ReplyException invalid(String name) {
        return new ReplyException(Reply.of(501, "5.5.4", "Invalid " + name + " parameter"));
    }

    private static ReplyException unsupported(String name) {
        return new ReplyException(Reply.of(555, "5.5.4", "Unsupported parameter " + clip(name)));
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x21-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) : printable;
    }
}
