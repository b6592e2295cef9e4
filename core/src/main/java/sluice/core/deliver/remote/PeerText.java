package sluice.core.deliver.remote;

import sluice.smtp.Reply;
import sluice.smtp.client.Capabilities;
import sluice.smtp.client.SmtpClientException;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What a peer sent, as results that others read may show it: a connector validation report (an organization
 * administrator names the host and port) and the outcome of a delivery (the tenant's message trace, delay and
 * expiry notices to senders). So that neither can read the banner of whatever service the node reaches (SSH
 * versions, database errors), a peer's text appears only when it is a well-formed, plain-text SMTP reply;
 * anything else is "{@value #NOT_SMTP}", without its bytes. The raw text belongs in the DEBUG log only.
 */
final class PeerText {

    /** What is shown instead of what a peer sent that was no SMTP reply. */
    static final String NOT_SMTP = "the service did not answer as an SMTP server";
    /** RFC 5321 section 4.5.3.1.5: a reply line is at most 512 octets, its code and CRLF included. */
    private static final int MAX_REPLY_LINE = 512 - 6;
    /** Enough for any EHLO reply; a longer "reply" is shown by its code only. */
    private static final int MAX_REPLY_LINES = 50;
    /** An extension keyword (RFC 5321 section 4.1.1.1) is short; a longer "keyword" is not shown. */
    private static final int MAX_KEYWORD = 40;

    private PeerText() {}

    /**
     * A reply whole when its text is plain (RFC 5321 section 4.2: printable US-ASCII and tabs, each line within the
     * limit), else its code alone. The reader already refused anything without a 3-digit code and a space or hyphen.
     */
    static String shown(Reply r) {
        return isPlain(r) ? r.toString() : r.code() + " (its text is not shown: it is not plain SMTP reply text)";
    }

    /**
     * A reply as an outcome keeps it ("554 5.7.1 text": the recipient's last reply, the trace, a notice's
     * Diagnostic-Code): whole when its text is plain, else by its code and enhanced status only (the class's generic
     * one when it gave none, RFC 3463).
     */
    static String kept(Reply r) {
        if (isPlain(r)) return Attempt.format(r);
        String enhanced = r.enhanced() != null ? r.enhanced() : (r.code() / 100) + ".0.0";
        return r.code() + " " + enhanced + " (reply text not shown: not plain SMTP text)";
    }

    /**
     * A failed step. A failure of the transport (refused, reset, timed out, closed, TLS) is told as it is; a reply
     * only as {@link #shown(Reply)}; anything else the peer sent (no reply syntax at all, so no SMTP server) is
     * {@value #NOT_SMTP}, without its bytes.
     */
    static String shown(SmtpClientException e) {
        String step = e.stage().name().toLowerCase(Locale.ROOT) + ": ";
        Reply r = e.reply();
        if (r != null) return isPlain(r) ? e.getMessage() : step + "the server answered " + shown(r);
        return isTransport(e.getCause()) ? e.getMessage() : step + NOT_SMTP;
    }

    /** A failure of the connection itself, whose (JDK's) message names no text of the peer's. */
    static boolean isTransport(Throwable t) {
        return t instanceof SocketException || t instanceof SocketTimeoutException || t instanceof EOFException
                || t instanceof SSLException;
    }

    /** The extension keywords a server announced, sorted; one that is not a plain short keyword is left out. */
    static String keywords(Capabilities caps) {
        List<String> plain = caps.keywords().stream().filter(PeerText::isKeyword).toList();
        String shown = plain.isEmpty() ? "none" : String.join(" ", new TreeSet<>(plain));
        int hidden = caps.keywords().size() - plain.size();
        return hidden == 0 ? shown : shown + " (and " + hidden + " not shown: not plain extension keywords)";
    }

    private static boolean isKeyword(String k) {
        if (k.isEmpty() || k.length() > MAX_KEYWORD) return false;
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) return false;
        }
        return true;
    }

    private static boolean isPlain(Reply r) {
        return r.lines().size() <= MAX_REPLY_LINES && r.lines().stream().allMatch(PeerText::isPlain);
    }

    private static boolean isPlain(String line) {
        if (line.length() > MAX_REPLY_LINE) return false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\t' && (c < ' ' || c > '~')) return false;
        }
        return true;
    }
}
