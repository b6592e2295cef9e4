package sluice.core.filter.spoof;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.dns.Dns;
import sluice.core.mail.Domain;
import sluice.core.trace.Incident;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Dns} that gives up at a deadline: each look-up waits for the resolver at most until then
 * (so its timeout is the smaller of the resolver's own and what is left), and once the deadline has
 * passed every look-up fails at once without asking. Giving up is a {@link Dns.DnsFailure}, which
 * SPF, DKIM and DMARC turn into temperror: the DATA reply waits for the deadline, never for the sum
 * of every look-up's timeout.
 *
 * <p>The look-up runs on a virtual thread of its own; one given up on is interrupted and left to end
 * by its own timeout, its answer unused.
 */
final class DeadlineDns implements Dns {

    private static final Logger log = LoggerFactory.getLogger(DeadlineDns.class);

    @FunctionalInterface
    private interface Lookup<T> {
        T call() throws NoSuchDomain, DnsFailure;
    }

    private final Dns dns;
    private final long deadlineNanos;

    /** @param deadlineNanos a {@link System#nanoTime()} value */
    DeadlineDns(Dns dns, long deadlineNanos) {
        this.dns = dns;
        this.deadlineNanos = deadlineNanos;
    }

    private <T> T within(String what, Lookup<T> lookup) throws NoSuchDomain, DnsFailure {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) throw new DnsFailure(what + ": no answer within the anti-spoofing deadline");
        FutureTask<T> task = new FutureTask<>(lookup::call);
        Thread.ofVirtual().name("anti-spoofing-dns").start(task);
        try {
            return task.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new DnsFailure(what + ": no answer within the anti-spoofing deadline");
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new DnsFailure(what + ": interrupted");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case NoSuchDomain n -> throw n;
                case DnsFailure f -> throw f;
                // a defect of the resolver: a temperror like any DNS failure, whose reason (shown in
                // Authentication-Results and the trace) says where the log has it, not what it is
                case null, default -> throw new DnsFailure(what + ": " + Incident.logged(log, "DNS look-up " + what, e.getCause()).text(),
                        e.getCause());
            }
        }
    }

    @Override
    public List<Mx> mx(Domain domain) throws NoSuchDomain, DnsFailure {
        return within("MX " + domain, () -> dns.mx(domain));
    }

    @Override
    public List<InetAddress> addresses(Domain host) throws NoSuchDomain, DnsFailure {
        return within("addresses of " + host, () -> dns.addresses(host));
    }

    @Override
    public List<String> txt(Domain name) throws NoSuchDomain, DnsFailure {
        return within("TXT " + name, () -> dns.txt(name));
    }

    @Override
    public List<InetAddress> a(Domain host) throws NoSuchDomain, DnsFailure {
        return within("A " + host, () -> dns.a(host));
    }

    @Override
    public Timed<List<InetAddress>> aWithTtl(Domain host) throws NoSuchDomain, DnsFailure {
        return within("A " + host, () -> dns.aWithTtl(host));
    }

    @Override
    public List<InetAddress> aaaa(Domain host) throws NoSuchDomain, DnsFailure {
        return within("AAAA " + host, () -> dns.aaaa(host));
    }

    @Override
    public List<Domain> ptr(InetAddress address) throws NoSuchDomain, DnsFailure {
        return within("PTR " + address.getHostAddress(), () -> dns.ptr(address));
    }
}
