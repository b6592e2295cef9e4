package sluice.core.deliver.remote;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stalled peers for tests: servers on loopback addresses that accept connections and never greet. Closing
 * them closes the listening sockets first (so nothing new connects and waits), then every connection.
 */
final class HungServers implements AutoCloseable {

    private final ExecutorService threads;
    private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    HungServers(ExecutorService threads) {
        this.threads = threads;
    }

    /** A server at {@code address} on {@code port} (0: any); returns its port. */
    int start(String address, int port) throws Exception {
        ServerSocket s = new ServerSocket(port, 10, InetAddress.getByName(address));
        servers.add(s);
        threads.submit(() -> {
            while (!s.isClosed()) {
                held.add(s.accept());
                accepted.incrementAndGet();
            }
            return null;
        });
        return s.getLocalPort();
    }

    /** Whether at least {@code n} connections were accepted within {@code wait}. */
    boolean awaitAccepted(int n, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (accepted.get() < n && System.nanoTime() < deadline) Thread.sleep(10);
        return accepted.get() >= n;
    }

    @Override
    public void close() throws Exception {
        for (ServerSocket s : servers) s.close();
        for (Socket s : held) s.close();
    }
}
