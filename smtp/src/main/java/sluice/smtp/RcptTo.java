package sluice.smtp;

import java.util.Set;

/**
 * A parsed RCPT TO command (RFC 5321 section 4.1.1.3) with its DSN parameters (RFC 3461).
 *
 * @param forwardPath the address without angle brackets (a source route, if any, already refused)
 * @param notifyOn    NOTIFY values; empty when the parameter is absent
 * @param orcpt       the ORCPT parameter as given ("rfc822;user@example.com", xtext-decoded), or null
 */
public record RcptTo(String forwardPath, Set<Notify> notifyOn, String orcpt) {
    public enum Notify { NEVER, SUCCESS, FAILURE, DELAY }

    public RcptTo {
        notifyOn = Set.copyOf(notifyOn);
    }
}
