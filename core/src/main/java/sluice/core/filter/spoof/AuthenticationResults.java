package sluice.core.filter.spoof;

import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.dmarc.DmarcResult;
import sluice.core.filter.spoof.spf.SpfResult;

import java.util.regex.Pattern;

/**
 * The Authentication-Results header field (RFC 8601) for {@link SpoofResults}, in EOP's shape:
 *
 * <pre>
 * Authentication-Results: mx.sluice.example;
 * 	spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.org;
 * 	dkim=pass (signature verified) header.d=example.org header.s=s1 header.b="AbCdEfGh";
 * 	dmarc=pass action=none header.from=example.org;
 * 	compauth=pass reason=100
 * </pre>
 */
public final class AuthenticationResults {

    private static final Pattern NOT_IN_COMMENT = Pattern.compile("[()\\\\\\r\\n]");
    private static final Pattern NOT_PRINTABLE = Pattern.compile("[^\\x20-\\x7e]");

    private AuthenticationResults() {
    }

    /** The whole field, "Authentication-Results: ...", ending in CRLF. */
    public static String header(String authservId, String clientIp, SpoofResults r) {
        StringBuilder s = new StringBuilder("Authentication-Results: ").append(value(authservId)).append(";\r\n\t");
        SpfResult spf = r.spf();
        s.append("spf=").append(spf.code().token()).append(" (sender IP is ").append(comment(clientIp)).append(")");
        if (!spf.domain().isEmpty()) s.append(" smtp.mailfrom=").append(value(spf.domain()));
        s.append(";\r\n\t");
        if (r.dkim().isEmpty()) s.append("dkim=none (message not signed);\r\n\t");
        for (DkimResult d : r.dkim()) {
            s.append("dkim=").append(d.code().token()).append(" (").append(comment(d.reason())).append(")");
            if (!d.domain().isEmpty()) s.append(" header.d=").append(value(d.domain()));
            if (!d.selector().isEmpty()) s.append(" header.s=").append(value(d.selector()));
            if (!d.headerB().isEmpty()) s.append(" header.b=").append(value(d.headerB()));
            s.append(";\r\n\t");
        }
        DmarcResult dmarc = r.dmarc();
        s.append("dmarc=").append(dmarc.code().token()).append(" action=").append(dmarc.disposition().token());
        if (dmarc.code() == DmarcResult.Code.FAIL && !dmarc.sampled()) s.append(" (pct sampling: policy ").append(dmarc.policy().token()).append(")");
        if (!dmarc.fromDomain().isEmpty()) s.append(" header.from=").append(value(dmarc.fromDomain()));
        s.append(";\r\n\t");
        s.append("compauth=").append(r.compauth().result().token()).append(" reason=").append(r.compauth().reason()).append("\r\n");
        return s.toString();
    }

    /** RFC 8601 section 2.2: a value is a MIME token or a quoted-string. */
    static String value(String v) {
        if (!v.isEmpty() && v.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?=".indexOf(c) < 0)) return v;
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace('\r', ' ').replace('\n', ' ') + "\"";
    }

    /** Text safe inside a comment: no parentheses, backslashes or line breaks, bounded length. */
    static String comment(String text) {
        String t = NOT_PRINTABLE.matcher(NOT_IN_COMMENT.matcher(text).replaceAll(" ")).replaceAll("?").strip();
        return t.length() > 120 ? t.substring(0, 117) + "..." : t;
    }
}
