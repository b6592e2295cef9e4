package sluice.smtp;

import java.net.InetSocketAddress;
import java.time.Instant;

/** Facts about one accepted TCP connection, fixed for its lifetime. */
public record ConnectionInfo(String sessionId, InetSocketAddress remote, InetSocketAddress local,
                             Instant connectedAt, boolean implicitTls) {
}
