package sluice.core.deliver.remote;

import sluice.smtp.client.Timeouts;
import sluice.smtp.client.TlsContexts;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509TrustManager;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link SmtpRemoteDelivery} behaves. Start from {@link #defaults(String)} and change with the
 * {@code with...} methods.
 *
 * @param heloName                     the name we announce in EHLO/HELO (our public host name)
 * @param mxPort                       the TCP port for delivery to MX hosts (25; tests use a sink's port)
 * @param timeouts                     SMTP client timeouts
 * @param idleTimeout                  how long an idle connection is kept for reuse
 * @param maxConnectionsPerDestination open connections per (host, address, port, TLS policy)
 * @param maxMessagesPerConnection     transactions before a connection is retired
 * @param trust                        the trust store for CertificateValidation and DomainValidation
 * @param clientKeys                   a client certificate to present when a server asks (empty: none)
 * @param thisNode                     which addresses are this node's, for connectors that may not deliver there
 * @param connectionWait               how long a delivery waits for one of a destination's connections before it
 *                                     defers (4.4.5); it waits before taking a node delivery slot, but cannot be
 *                                     stopped meanwhile by an administrator's change or shutdown
 * @param mxMayBeThisNode              whether an MX host may be one of this node's addresses; false in production,
 *                                     where such mail would loop back (Postfix refuses it too); tests whose
 *                                     "internet" is on loopback turn it on
 */
public record RemoteDeliveryOptions(String heloName, int mxPort, Timeouts timeouts, Duration idleTimeout,
                                    int maxConnectionsPerDestination, int maxMessagesPerConnection,
                                    X509TrustManager trust, List<KeyManager> clientKeys, Duration connectionWait,
                                    NodeAddresses thisNode, boolean mxMayBeThisNode) {

    public RemoteDeliveryOptions {
        if (heloName == null || heloName.isBlank()) throw new IllegalArgumentException("a HELO name is required");
        if (mxPort < 1 || mxPort > 65535) throw new IllegalArgumentException("mxPort out of range: " + mxPort);
        Objects.requireNonNull(timeouts);
        Objects.requireNonNull(idleTimeout);
        if (maxConnectionsPerDestination < 1) throw new IllegalArgumentException("maxConnectionsPerDestination must be >= 1");
        if (maxMessagesPerConnection < 1) throw new IllegalArgumentException("maxMessagesPerConnection must be >= 1");
        Objects.requireNonNull(trust);
        clientKeys = List.copyOf(clientKeys);
        Objects.requireNonNull(thisNode);
        if (connectionWait.isNegative()) throw new IllegalArgumentException("connectionWait must not be negative");
    }

    /**
     * Port 25, RFC 5321 timeouts, 10 s idle reuse, 20 connections per destination, the JDK's trust store,
     * 10 s to wait for a connection, this machine's addresses, no MX delivery to them.
     */
    public static RemoteDeliveryOptions defaults(String heloName) {
        return new RemoteDeliveryOptions(heloName, 25, Timeouts.RFC_5321, Duration.ofSeconds(10), 20, 100,
                TlsContexts.jdkTrust(), List.of(), Duration.ofSeconds(10), NodeAddresses.system(), false);
    }

    public RemoteDeliveryOptions withMxPort(int port) {
        return new RemoteDeliveryOptions(heloName, port, timeouts, idleTimeout, maxConnectionsPerDestination, maxMessagesPerConnection, trust, clientKeys, connectionWait, thisNode, mxMayBeThisNode);
    }

    public RemoteDeliveryOptions withTimeouts(Timeouts t) {
        return new RemoteDeliveryOptions(heloName, mxPort, t, idleTimeout, maxConnectionsPerDestination, maxMessagesPerConnection, trust, clientKeys, connectionWait, thisNode, mxMayBeThisNode);
    }

    public RemoteDeliveryOptions withIdleTimeout(Duration d) {
        return new RemoteDeliveryOptions(heloName, mxPort, timeouts, d, maxConnectionsPerDestination, maxMessagesPerConnection, trust, clientKeys, connectionWait, thisNode, mxMayBeThisNode);
    }

    public RemoteDeliveryOptions withMaxConnectionsPerDestination(int n) {
        return new RemoteDeliveryOptions(heloName, mxPort, timeouts, idleTimeout, n, maxMessagesPerConnection, trust, clientKeys, connectionWait, thisNode, mxMayBeThisNode);
    }

    public RemoteDeliveryOptions withMaxMessagesPerConnection(int n) {
        return new RemoteDeliveryOptions(heloName, mxPort, timeouts, idleTimeout, maxConnectionsPerDestination, n, trust, clientKeys, connectionWait, thisNode, mxMayBeThisNode);
    }

    public RemoteDeliveryOptions withTrust(X509TrustManager t) {
        return new RemoteDeliveryOptions(heloName, mxPort, timeouts, idleTimeout, maxConnectionsPerDestination, maxMessagesPerConnection, t, clientKeys, connectionWait, thisNode, mxMayBeThisNode);
    }

    /** Trust exactly the anchors in {@code trustStore}. */
    public RemoteDeliveryOptions withTrustStore(KeyStore trustStore) {
        return withTrust(TlsContexts.trustManager(trustStore));
    }

    public RemoteDeliveryOptions withClientKeys(List<KeyManager> keys) {
        return new RemoteDeliveryOptions(heloName, mxPort, timeouts, idleTimeout, maxConnectionsPerDestination, maxMessagesPerConnection, trust, keys, connectionWait, thisNode, mxMayBeThisNode);
    }

    public RemoteDeliveryOptions withThisNode(NodeAddresses addresses) {
        return new RemoteDeliveryOptions(heloName, mxPort, timeouts, idleTimeout, maxConnectionsPerDestination, maxMessagesPerConnection, trust, clientKeys, connectionWait, addresses, mxMayBeThisNode);
    }

    public RemoteDeliveryOptions withMxMayBeThisNode(boolean allowed) {
        return new RemoteDeliveryOptions(heloName, mxPort, timeouts, idleTimeout, maxConnectionsPerDestination, maxMessagesPerConnection, trust, clientKeys, connectionWait, thisNode, allowed);
    }

    public RemoteDeliveryOptions withConnectionWait(Duration wait) {
        return new RemoteDeliveryOptions(heloName, mxPort, timeouts, idleTimeout, maxConnectionsPerDestination, maxMessagesPerConnection, trust, clientKeys, wait, thisNode, mxMayBeThisNode);
    }
}
