package sluice.admin.auth;

import sluice.core.connector.IpRange;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * When the session cookie is Secure and named {@value Cookies#SECURE_SESSION}. The admin listener speaks
 * plain HTTP, so it cannot see whether the browser used HTTPS: either the operator says so for every
 * request ({@code admin.secureCookies}, for a proxy that adds no header: stunnel, HAProxy in TCP mode), or
 * a TLS-terminating proxy says so per request with {@code X-Forwarded-Proto: https}. That header is
 * believed only from {@code trustedProxies}: from anyone else it is what a client chose to send.
 *
 * @param always         every request's cookie is Secure
 * @param trustedProxies peers whose {@code X-Forwarded-Proto} is believed
 */
public record CookieSecurity(boolean always, List<IpRange> trustedProxies) {

    /**
     * Plain cookies unless a proxy on this machine says HTTPS: the default listener is on loopback, where
     * the only peers are local, and a local TLS proxy in front of it is the usual set-up.
     */
    public static final CookieSecurity DEFAULT = new CookieSecurity(false,
            List.of(IpRange.parse("127.0.0.0/8"), IpRange.parse("::1/128")));

    public CookieSecurity {
        trustedProxies = List.copyOf(Objects.requireNonNull(trustedProxies, "trustedProxies"));
    }

    /**
     * @param peer           the connecting peer's IP address (as {@code InetAddress.getHostAddress} writes it), or null
     * @param forwardedProto its {@code X-Forwarded-Proto}, or null
     */
    public boolean secure(String peer, String forwardedProto) {
        if (always) return true;
        if (forwardedProto == null || !forwardedProto.strip().equalsIgnoreCase("https") || peer == null) return false;
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(peer);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return trustedProxies.stream().anyMatch(r -> r.contains(address));
    }
}
