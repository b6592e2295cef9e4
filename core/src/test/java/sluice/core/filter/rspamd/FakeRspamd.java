package sluice.core.filter.rspamd;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-process HTTP server answering /checkv2 with a canned reply, remembering the last request. */
final class FakeRspamd implements AutoCloseable {

    private final HttpServer server;
    private volatile int status = 200;
    private volatile String reply = "{}";
    private volatile long delayMillis;
    volatile String path;
    volatile Headers headers;
    volatile byte[] body;
    final AtomicInteger requests = new AtomicInteger();

    FakeRspamd() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            path = exchange.getRequestURI().getPath();
            headers = exchange.getRequestHeaders();
            body = exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = reply.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(status, out.length);
                exchange.getResponseBody().write(out);
            } catch (IOException gone) {
                // the client gave up (timeout test)
            }
            exchange.close();
        });
        server.start();
    }

    FakeRspamd answer(int status, String reply) {
        this.status = status;
        this.reply = reply;
        return this;
    }

    FakeRspamd delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
