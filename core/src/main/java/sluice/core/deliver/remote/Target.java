package sluice.core.deliver.remote;

import java.net.InetSocketAddress;

/** One address to try: the host name as found (MX exchange, smart host, or an IP literal) and where it points. */
record Target(String host, InetSocketAddress address) {

    boolean hostIsLiteral() {
        return host.equals(address.getAddress().getHostAddress()) || host.indexOf(':') >= 0;
    }

    /** "mx.example.com[192.0.2.1]:25", or "[192.0.2.1]:25" for a literal, as Postfix writes it. */
    String display() {
        String ip = "[" + address.getAddress().getHostAddress() + "]";
        return (hostIsLiteral() ? "" : host) + ip + ":" + address.getPort();
    }
}
