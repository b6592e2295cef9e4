package sluice.smtp.server;

import sluice.smtp.ClientNetwork;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The total and per-client connection limits of one listener, SMTP or IMAP; a client is an IPv4 address
 * or an IPv6 /64 ({@link ClientNetwork}), so both protocols count one host alike. Every successful
 * {@link #admit} is paired with one {@link #release}.
 */
public final class ConnectionLimits {

    public enum Admission { ADMITTED, TOO_MANY, TOO_MANY_FROM_ADDRESS }

    private final Semaphore total;
    private final int perAddress;
    private final ConcurrentHashMap<ClientNetwork, Integer> byAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(int total, int perAddress) {
        this.total = new Semaphore(total);
        this.perAddress = perAddress;
    }

    public Admission admit(InetAddress address) {
        if (!total.tryAcquire()) return Admission.TOO_MANY;
        boolean[] ok = {false};
        byAddress.compute(ClientNetwork.of(address), (a, n) -> {
            int count = n == null ? 0 : n;
            if (count >= perAddress) return n;
            ok[0] = true;
            return count + 1;
        });
        if (ok[0]) return Admission.ADMITTED;
        total.release();
        return Admission.TOO_MANY_FROM_ADDRESS;
    }

    public void release(InetAddress address) {
        byAddress.computeIfPresent(ClientNetwork.of(address), (a, n) -> n <= 1 ? null : n - 1);
        total.release();
    }
}
