package sluice.core.filter.rspamd;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client of Rspamd's normal worker over its HTTP protocol: {@code POST /checkv2} with the raw
 * message as the body and the envelope in request headers (IP, Helo, From, one Rcpt per recipient,
 * Queue-Id, Settings-ID), answered by a JSON object ({@link RspamdReply}). One deadline covers the
 * whole exchange. Never throws: every failure (refused, timed out, HTTP error, bad JSON) is a
 * {@link Result.Failed}, because Rspamd is optional and must not take mail down with it.
 */
public final class RspamdClient {

    /** A reply is a few kilobytes; a megabyte means something other than Rspamd is answering. */
    private static final long MAX_REPLY = 1 << 20;

    private final URI checkUri;
    private final Duration timeout;
    private final HttpClient http;

    private RspamdClient(URI checkUri, Duration timeout) {
        this.checkUri = checkUri;
        this.timeout = timeout;
        // HTTP/1.1 only: Rspamd does not speak HTTP/2, and the h2c upgrade headers would be noise to it.
        // No proxy: Rspamd is a local service, whatever http.proxyHost the JVM was started with.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .proxy(HttpClient.Builder.NO_PROXY).build();
    }

    /**
     * @param base the worker's address, e.g. {@code http://127.0.0.1:11333}
     * @throws IllegalArgumentException when it is not an http(s) URL with a host
     */
    public static RspamdClient create(String base, Duration timeout) {
        Objects.requireNonNull(timeout);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        return new RspamdClient(endpoint(base), timeout);
    }

    /**
     * The {@code /checkv2} URL under {@code base}; a path in it is kept (Rspamd may sit behind a
     * reverse proxy). Public so that configuration can be checked when it is loaded.
     *
     * @throws IllegalArgumentException when {@code base} is not an http(s) URL with a host
     */
    public static URI endpoint(String base) {
        URI uri = null;
        try {
            uri = new URI(base.strip());
        } catch (java.net.URISyntaxException e) {
            // reported below, with what is expected
        }
        if (uri == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null)
            throw new IllegalArgumentException("need an http(s) URL with a host, like http://127.0.0.1:11333, not '" + base + "'");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return uri.resolve(path + "/checkv2");
    }

    /**
     * The envelope, as Rspamd's request headers.
     *
     * @param ip         the originating IP (Rspamd's RBL, SPF and hostname checks use it)
     * @param mailFrom   the envelope sender, "" for the null sender
     * @param queueId    for correlating logs, or null
     * @param settingsId an Rspamd settings id to apply, or null
     */
    public record Request(String ip, String helo, String mailFrom, List<String> recipients, String queueId, String settingsId) {
        public Request {
            Objects.requireNonNull(ip);
            Objects.requireNonNull(mailFrom);
            recipients = List.copyOf(recipients);
        }
    }

    public sealed interface Result {
        record Checked(RspamdReply reply) implements Result {
        }

        record Failed(String reason) implements Result {
        }
    }

    public Result check(Request r, byte[] message) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(checkUri).timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(message));
            header(b, "IP", r.ip());
            header(b, "From", r.mailFrom().isEmpty() ? "<>" : r.mailFrom());
            header(b, "Helo", r.helo());
            for (String rcpt : r.recipients()) header(b, "Rcpt", rcpt);
            header(b, "Queue-Id", r.queueId());
            header(b, "Settings-ID", r.settingsId());
        } catch (IllegalArgumentException e) {
            return new Result.Failed("cannot build the request: " + e.getMessage());
        }
        var future = http.sendAsync(b.build(), HttpResponse.BodyHandlers.limiting(HttpResponse.BodyHandlers.ofByteArray(), MAX_REPLY));
        HttpResponse<byte[]> response;
        try {
            // the request timeout covers the wait for the response headers; this covers the body too
            response = future.get(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return new Result.Failed(checkUri + ": no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Result.Failed("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String why = cause instanceof java.net.http.HttpTimeoutException ? "no answer within " + timeout.toMillis() + " ms"
                    : cause instanceof IOException && cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.toString();
            return new Result.Failed(checkUri + ": " + why);
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200)
            return new Result.Failed(checkUri + ": HTTP " + response.statusCode() + " " + abbreviate(body));
        try {
            return new Result.Checked(RspamdReply.parse(body));
        } catch (IllegalArgumentException e) {
            return new Result.Failed(checkUri + ": unreadable reply (" + e.getMessage() + "): " + abbreviate(body));
        }
    }

    /**
     * Adds a request header unless the value is missing or not printable ASCII: the JDK client
     * sends header values as ASCII only, and a mangled address would mislead Rspamd more than a
     * missing one (it then falls back to the message's own From and To).
     */
    private static void header(HttpRequest.Builder b, String name, String value) {
        if (value != null && !value.isBlank() && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) b.header(name, value);
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= 200 ? one : one.substring(0, 200) + "...";
    }

    @Override
    public String toString() {
        return "Rspamd at " + checkUri;
    }
}
