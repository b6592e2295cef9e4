package sluice.imap;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * An IMAP listener's settings.
 *
 * @param implicitTls     TLS from the first byte (like port 993); otherwise STARTTLS, and no login before it
 * @param idleTimeout     the autologout timer (RFC 9051 section 5.4: at least 30 minutes)
 * @param idlePoll        how often a session in IDLE looks for news of its mailbox: at the store's change
 *                        signal, which costs no query; the folder is read only when the signal moved, and
 *                        at the latest a minute after its last read (another node's writes do not move it)
 * @param maxLine         the longest command line, in octets
 * @param maxLiteral      the most literal octets one command may carry
 * @param loginTimeout    how long a client that has not logged in may stay silent (shorter than the autologout
 *                        timer, so unauthenticated connections cannot be parked on the listener's limits)
 * @param loginDeadline   how long after connecting a client must have logged in, however busy it keeps the
 *                        connection (a NOOP a minute would otherwise hold a connection slot for ever)
 * @param writeTimeout    how long one write to the client may block: a client that sends commands and never
 *                        reads the responses would otherwise hold its session in a write for ever
 * @param maxMessageSize  the largest message APPEND takes, in octets: the node's message size limit, so a
 *                        client cannot store what the mail flow would refuse (advertised as APPENDLIMIT)
 * @param folderLimits    how many folders a mailbox may have, how long and how deep their names may be
 */
public record ImapServerConfig(String hostname, InetAddress bindAddress, int port, SSLContext sslContext,
                               boolean implicitTls, int maxConnections, int maxConnectionsPerIp,
                               Duration idleTimeout, Duration idlePoll, int maxLine, int maxLiteral,
                               Duration loginTimeout, Duration loginDeadline, Duration writeTimeout, int maxMessageSize, FolderLimits folderLimits) {

    /**
     * Limits on the folders clients create: name length in octets (as sent, modified UTF-7), levels
     * of hierarchy, and user folders per mailbox (subscriptions are capped at the same number).
     */
    public record FolderLimits(int maxNameOctets, int maxDepth, int maxFolders) {
        public static final FolderLimits DEFAULT = new FolderLimits(255, 16, 1000);

        public FolderLimits {
            if (maxNameOctets < 16 || maxDepth < 1 || maxFolders < 1)
                throw new IllegalArgumentException("folder limits: names of at least 16 octets, at least 1 level and 1 folder");
        }
    }

    public ImapServerConfig {
        Objects.requireNonNull(folderLimits, "folderLimits");
        if (maxMessageSize < 1024) throw new IllegalArgumentException("the message size limit must be at least 1024");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(sslContext, "sslContext: IMAP never takes a password without TLS");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (maxConnections < 1 || maxConnectionsPerIp < 1) throw new IllegalArgumentException("limits must be at least 1");
        if (maxLine < 1024 || maxLiteral < 1024) throw new IllegalArgumentException("line and literal limits must be at least 1024");
        if (idleTimeout.isNegative() || idleTimeout.isZero() || idlePoll.isNegative() || idlePoll.isZero()
                || loginTimeout.isNegative() || loginTimeout.isZero() || loginDeadline.isNegative() || loginDeadline.isZero()
                || writeTimeout.isNegative() || writeTimeout.isZero())
            throw new IllegalArgumentException("timeouts must be positive");
    }

    /**
     * RFC defaults: 30 minutes autologout (1 minute before login, and a login within 2 minutes of
     * connecting), 64 KiB lines and literals, IDLE polling every 2 seconds, 5 minutes for a write (as SMTP's); messages up to 25 MiB and {@link FolderLimits#DEFAULT}.
     */
    public static ImapServerConfig of(String hostname, InetAddress bindAddress, int port, SSLContext sslContext,
                                      boolean implicitTls, int maxConnections, int maxConnectionsPerIp) {
        return new ImapServerConfig(hostname, bindAddress, port, sslContext, implicitTls, maxConnections, maxConnectionsPerIp,
                Duration.ofMinutes(30), Duration.ofSeconds(2), 65_536, 65_536, Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
                25 * 1024 * 1024, FolderLimits.DEFAULT);
    }

    public ImapServerConfig withTimeouts(Duration idleTimeout, Duration idlePoll) {
        return new ImapServerConfig(hostname, bindAddress, port, sslContext, implicitTls, maxConnections, maxConnectionsPerIp,
                idleTimeout, idlePoll, maxLine, maxLiteral, loginTimeout, loginDeadline, writeTimeout, maxMessageSize, folderLimits);
    }

    public ImapServerConfig withLoginTimeout(Duration loginTimeout) {
        return new ImapServerConfig(hostname, bindAddress, port, sslContext, implicitTls, maxConnections, maxConnectionsPerIp,
                idleTimeout, idlePoll, maxLine, maxLiteral, loginTimeout, loginDeadline, writeTimeout, maxMessageSize, folderLimits);
    }

    public ImapServerConfig withDeadlines(Duration loginDeadline, Duration writeTimeout) {
        return new ImapServerConfig(hostname, bindAddress, port, sslContext, implicitTls, maxConnections, maxConnectionsPerIp,
                idleTimeout, idlePoll, maxLine, maxLiteral, loginTimeout, loginDeadline, writeTimeout, maxMessageSize, folderLimits);
    }

    /** The node's message size limit for APPEND, capped at what one array can hold. */
    public ImapServerConfig withMessageLimits(long maxMessageSize, FolderLimits folderLimits) {
        return new ImapServerConfig(hostname, bindAddress, port, sslContext, implicitTls, maxConnections, maxConnectionsPerIp,
                idleTimeout, idlePoll, maxLine, maxLiteral, loginTimeout, loginDeadline, writeTimeout,
                (int) Math.min(maxMessageSize, Integer.MAX_VALUE - 64), folderLimits);
    }

    /** How long a silent client may stay: the login timeout before login, the autologout timer after. */
    Duration timeout(boolean loggedIn) {
        return loggedIn || loginTimeout.compareTo(idleTimeout) > 0 ? idleTimeout : loginTimeout;
    }
}
