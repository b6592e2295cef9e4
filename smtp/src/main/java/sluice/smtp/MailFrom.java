package sluice.smtp;

/**
 * A parsed MAIL FROM command (RFC 5321 section 4.1.1.2) with its ESMTP parameters.
 *
 * @param reversePath the address without angle brackets; empty for the null sender {@code <>}
 * @param size        the SIZE parameter (RFC 1870), or -1 when absent
 * @param body        the BODY parameter (RFC 6152, RFC 3030)
 * @param smtpUtf8    the SMTPUTF8 parameter (RFC 6531)
 * @param ret         the DSN RET parameter (RFC 3461), or null
 * @param envId       the DSN ENVID parameter, xtext-decoded, or null
 */
public record MailFrom(String reversePath, long size, Body body, boolean smtpUtf8, Ret ret, String envId) {
    public enum Body { SEVEN_BIT, EIGHT_BIT_MIME, BINARY_MIME }
    public enum Ret { FULL, HDRS }

    public boolean isNullSender() {
        return reversePath.isEmpty();
    }
}
