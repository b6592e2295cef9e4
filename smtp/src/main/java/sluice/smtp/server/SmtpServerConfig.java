package sluice.smtp.server;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything one SMTP listener needs to know, fixed when the server starts.
 *
 * <p>Timeouts are the server-side ones of RFC 5321 section 4.5.3.2: {@code commandTimeout} is the
 * "server timeout" while awaiting the next command (at least 5 minutes), {@code dataTimeout} bounds
 * the wait for each block of DATA or BDAT content (3 minutes, as the client's DATA block timeout).
 * {@code maxTransferTime} bounds one whole transfer of content, from the 354 after DATA (or the first
 * BDAT) to the end of the message, however the client paces it: a per-read timeout alone lets a client
 * that sends a byte every few minutes hold its buffered message forever. Ten minutes is the client's
 * DATA-termination timeout of the same section. The greeting timeout is the client's to keep.
 *
 * @param sslContext        the server identity for STARTTLS (or implicit TLS); null disables TLS. Build it
 *                          with {@link ServerTlsContext} so any client certificate passes the handshake
 *                          and reaches the handler for verification
 * @param implicitTls       TLS from the first octet (port 465, RFC 8314) instead of STARTTLS
 * @param greetingDelay     how long to wait for an early talker before the 220 greeting (zero: only data
 *                          already received is detected)
 * @param maxErrors         protocol errors allowed per session, 5xx refusals of RCPT and AUTH included;
 *                          the next one is answered 421 and the connection closed
 * @param errorDelay        how long each error reply waits once half of {@code maxErrors} is used up
 *                          (Postfix's soft error limit): probing addresses or passwords goes slowly
 * @param maxTransferTime   the longest one DATA or BDAT transfer may take before 421 4.4.2
 * @param authEnabled       advertise and accept AUTH PLAIN and LOGIN
 * @param requireTlsForAuth refuse AUTH before TLS (538 5.7.11)
 * @param requireTls        refuse MAIL before TLS (530 5.7.0), for the submission listener
 */
public record SmtpServerConfig(InetAddress bindAddress, int port, String hostname, SSLContext sslContext,
                               boolean implicitTls, long maxMessageSize, int maxRecipients, int maxConnections,
                               int maxConnectionsPerIp, Duration commandTimeout, Duration dataTimeout,
                               Duration greetingDelay, int maxReceivedHeaders, int maxErrors, Duration errorDelay,
                               Duration maxTransferTime, boolean authEnabled, boolean requireTlsForAuth,
                               boolean requireTls) {

    public static final long DEFAULT_MAX_MESSAGE_SIZE = 36L * 1024 * 1024;
    /** RFC 5321 section 4.5.3.1.8: a server must buffer at least 100 recipients. */
    public static final int MIN_RECIPIENTS = 100;

    public SmtpServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(dataTimeout, "dataTimeout");
        Objects.requireNonNull(greetingDelay, "greetingDelay");
        Objects.requireNonNull(errorDelay, "errorDelay");
        Objects.requireNonNull(maxTransferTime, "maxTransferTime");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c > '~'))
            throw new IllegalArgumentException("hostname must be printable ASCII without spaces: " + hostname);
        if (maxMessageSize < 1024) throw new IllegalArgumentException("maxMessageSize too small: " + maxMessageSize);
        if (maxMessageSize > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("maxMessageSize must fit in memory: " + maxMessageSize);
        if (maxRecipients < MIN_RECIPIENTS)
            throw new IllegalArgumentException("maxRecipients must be at least " + MIN_RECIPIENTS + " (RFC 5321 4.5.3.1.8)");
        if (maxConnections < 1 || maxConnectionsPerIp < 1) throw new IllegalArgumentException("connection limits must be positive");
        if (maxReceivedHeaders < 1 || maxErrors < 1) throw new IllegalArgumentException("maxReceivedHeaders and maxErrors must be positive");
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(dataTimeout, "dataTimeout");
        requirePositive(maxTransferTime, "maxTransferTime");
        if (errorDelay.isNegative() || errorDelay.compareTo(Duration.ofMinutes(1)) > 0)
            throw new IllegalArgumentException("errorDelay must be between 0 and 1 minute: " + errorDelay);
        if (greetingDelay.isNegative()) throw new IllegalArgumentException("greetingDelay must not be negative");
        if (implicitTls && sslContext == null) throw new IllegalArgumentException("implicitTls needs an sslContext");
        if (requireTls && sslContext == null) throw new IllegalArgumentException("requireTls needs an sslContext");
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE)
            throw new IllegalArgumentException(name + " must be positive and below 24 days: " + d);
    }

    public boolean startTlsAvailable() {
        return sslContext != null && !implicitTls;
    }

    public static Builder builder(String hostname) {
        return new Builder(hostname);
    }

    public Builder toBuilder() {
        Builder b = new Builder(hostname);
        b.bindAddress = bindAddress; b.port = port; b.sslContext = sslContext; b.implicitTls = implicitTls;
        b.maxMessageSize = maxMessageSize; b.maxRecipients = maxRecipients; b.maxConnections = maxConnections;
        b.maxConnectionsPerIp = maxConnectionsPerIp; b.commandTimeout = commandTimeout; b.dataTimeout = dataTimeout;
        b.greetingDelay = greetingDelay; b.maxReceivedHeaders = maxReceivedHeaders; b.maxErrors = maxErrors;
        b.errorDelay = errorDelay; b.maxTransferTime = maxTransferTime;
        b.authEnabled = authEnabled; b.requireTlsForAuth = requireTlsForAuth; b.requireTls = requireTls;
        return b;
    }

    /**
     * Defaults: loopback, ephemeral port, 36 MiB, 500 recipients, 1000 connections (50 per IP), RFC timeouts,
     * 10 errors (slowed by 1 s each after 5), 10 minutes per transfer.
     */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port;
        private final String hostname;
        private SSLContext sslContext;
        private boolean implicitTls;
        private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxRecipients = 500;
        private int maxConnections = 1000;
        private int maxConnectionsPerIp = 50;
        private Duration commandTimeout = Duration.ofMinutes(5);
        private Duration dataTimeout = Duration.ofMinutes(3);
        private Duration greetingDelay = Duration.ZERO;
        private int maxReceivedHeaders = 50;
        private int maxErrors = 20; // Postfix's smtpd_hard_error_limit; slowing down at half is its soft limit, 10
        private Duration errorDelay = Duration.ofSeconds(1);
        private Duration maxTransferTime = Duration.ofMinutes(10);
        private boolean authEnabled;
        private boolean requireTlsForAuth = true;
        private boolean requireTls;

        private Builder(String hostname) {
            this.hostname = hostname;
        }

        public Builder bindAddress(InetAddress v) { bindAddress = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder sslContext(SSLContext v) { sslContext = v; return this; }
        public Builder implicitTls(boolean v) { implicitTls = v; return this; }
        public Builder maxMessageSize(long v) { maxMessageSize = v; return this; }
        public Builder maxRecipients(int v) { maxRecipients = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerIp(int v) { maxConnectionsPerIp = v; return this; }
        public Builder commandTimeout(Duration v) { commandTimeout = v; return this; }
        public Builder dataTimeout(Duration v) { dataTimeout = v; return this; }
        public Builder greetingDelay(Duration v) { greetingDelay = v; return this; }
        public Builder maxReceivedHeaders(int v) { maxReceivedHeaders = v; return this; }
        public Builder maxErrors(int v) { maxErrors = v; return this; }
        public Builder errorDelay(Duration v) { errorDelay = v; return this; }
        public Builder maxTransferTime(Duration v) { maxTransferTime = v; return this; }
        public Builder authEnabled(boolean v) { authEnabled = v; return this; }
        public Builder requireTlsForAuth(boolean v) { requireTlsForAuth = v; return this; }
        public Builder requireTls(boolean v) { requireTls = v; return this; }

        public SmtpServerConfig build() {
            return new SmtpServerConfig(bindAddress, port, hostname, sslContext, implicitTls, maxMessageSize,
                    maxRecipients, maxConnections, maxConnectionsPerIp, commandTimeout, dataTimeout, greetingDelay,
                    maxReceivedHeaders, maxErrors, errorDelay, maxTransferTime, authEnabled, requireTlsForAuth, requireTls);
        }
    }
}
