package sluice.core.deliver.remote;

import sluice.core.route.TlsPolicy;

import java.net.InetSocketAddress;

/**
 * The key for connection reuse and the per-destination limit: a connection made under one TLS
 * policy is never reused for another (an opportunistic plaintext connection must not carry mail
 * that requires TLS).
 */
record Destination(String host, InetSocketAddress address, TlsPolicy tls) {
    static Destination of(Target t, TlsPolicy tls) {
        return new Destination(t.host(), t.address(), tls);
    }
}
