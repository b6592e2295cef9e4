package sluice.cli.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import sluice.cli.Cli;
import sluice.cli.Environment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An admin API on loopback that answers what a test scripted ({@code "GET /organizations"} → JSON),
 * {@code 404} with a problem otherwise, and records every request, so that a test can run real
 * {@code sluice} commands over HTTP and see both what they printed and what they asked the server to do.
 */
public final class FakeApi implements AutoCloseable {

    /** One request the CLI made: {@code "POST /domains"} (query included) and its body. */
    public record Call(String request, String body) {
    }

    /** The outcome of one command. */
    public record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @Command(name = "sluice")
    static final class Root {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private record Answer(int status, String json) {
    }

    public FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code request} ("GET /trace/x", query included when the CLI sends one) with 200 and {@code json}. */
    public FakeApi on(String request, String json) {
        return on(request, 200, json);
    }

    public FakeApi on(String request, int status, String json) {
        answers.put(request, new Answer(status, json));
        return this;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The requests that would change something (anything but GET). */
    public List<Call> changes() {
        return calls.stream().filter(c -> !c.request().startsWith("GET ")).toList();
    }

    public Run sluice(String... args) {
        return run(false, args);
    }

    /** As if standard output were an administrator's terminal ({@link Environment#interactive()}). */
    public Run sluiceOnATerminal(String... args) {
        return run(true, args);
    }

    private Run run(boolean terminal, String... args) {
        Map<String, String> env = Map.of("SLUICE_URL", "http://127.0.0.1:" + server.getAddress().getPort(), "SLUICE_TOKEN", "t");
        Environment e = new Environment(env, new ByteArrayInputStream(new byte[0]), Path.of("").toAbsolutePath(), terminal);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.install(new CommandLine(new Root(), Cli.factory(e)));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath().replaceFirst("^/api/v1", "");
        String query = x.getRequestURI().getRawQuery();
        String request = x.getRequestMethod() + " " + path + (query == null ? "" : "?" + query);
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(new Call(request, body));
        Answer a = answers.get(request);
        if (a == null) a = answers.get(x.getRequestMethod() + " " + path);
        if (a == null) a = new Answer(404, "{\"title\":\"Not Found\",\"detail\":\"no script for " + request + "\"}");
        byte[] bytes = a.json().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", a.status() / 100 == 2 ? "application/json" : "application/problem+json");
        x.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) x.getResponseBody().write(bytes);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
