package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import sluice.admin.auth.CookieSecurity;
import sluice.core.connector.IpRange;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.mail.Address;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the node configuration: built-in defaults, then the YAML file (when it exists), then
 * environment variables ({@code SLUICE_LIMITS_MAXMESSAGESIZE} sets {@code limits.maxMessageSize};
 * {@code SLUICE_ADMIN_TOKEN} sets {@code admin.token}). Unknown keys and bad values are errors that
 * name the key, so a typo never silently falls back to a default.
 */
public final class ConfigLoader {

    /** A configuration problem, with a message fit for the person who wrote the file. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

    private ConfigLoader() {
    }

    public static NodeConfig load(Path file, Map<String, String> env) {
        ObjectNode tree = defaults();
        JsonNode defaultPerDestination = tree.path("delivery").get("connectionsPerDestination");
        if (file != null && Files.exists(file)) {
            JsonNode user;
            try {
                user = YAML.readTree(file.toFile());
            } catch (IOException e) {
                throw new ConfigException("cannot read " + file + ": " + e.getMessage());
            }
            if (user != null && !user.isMissingNode() && !user.isNull()) {
                if (!user.isObject()) throw new ConfigException(file + ": the top level must be a mapping of keys");
                merge(tree, (ObjectNode) user, "");
            }
        }
        applyEnvironment(tree, env);
        try {
            fitDefaultPerDestination(tree, defaultPerDestination);
            return build(tree);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage());
        }
    }

    /**
     * A node given fewer delivery slots than the default per-destination share still starts: the share it did not
     * set becomes one less than the slots, so one stalled destination never holds them all. A share set explicitly
     * is checked as given.
     */
    private static void fitDefaultPerDestination(ObjectNode tree, JsonNode defaultPerDestination) {
        ObjectNode delivery = (ObjectNode) tree.get("delivery");
        if (delivery.get("connectionsPerDestination") != defaultPerDestination) return; // set in the file or environment
        int slots = integer(tree, "delivery.maxConcurrentDeliveries");
        if (slots >= 2 && defaultPerDestination.asInt() >= slots) delivery.put("connectionsPerDestination", slots - 1);
    }

    private static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/sluice-defaults.yaml")) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("built-in defaults unreadable", e);
        }
    }

    /** Overlays {@code user} on {@code base}; a key absent from the defaults is refused (except free-form maps). */
    private static void merge(ObjectNode base, ObjectNode user, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            var e = it.next();
            String key = path + e.getKey();
            JsonNode current = base.get(e.getKey());
            if (current == null) throw new ConfigException("unknown configuration key '" + key + "'");
            if (key.equals("routing.smartHosts")) {
                base.set(e.getKey(), e.getValue());
            } else if (current.isObject()) {
                if (!e.getValue().isObject()) throw new ConfigException("'" + key + "' must be a mapping");
                merge((ObjectNode) current, (ObjectNode) e.getValue(), key + ".");
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
        Map<String, String> leaves = new LinkedHashMap<>();
        collectLeaves(tree, "", leaves);
        env.forEach((name, value) -> {
            if (!name.startsWith("SLUICE_")) return;
            String path = leaves.get(name.substring("SLUICE_".length()));
            if (path == null) return; // other SLUICE_ variables (e.g. for the CLI) are not ours
            ObjectNode parent = tree;
            String[] parts = path.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) parent = (ObjectNode) parent.get(parts[i]);
            String leaf = parts[parts.length - 1];
            if (parent.get(leaf).isArray()) {
                var array = parent.putArray(leaf);
                for (String v : value.split(",")) if (!v.isBlank()) array.add(v.trim());
            } else {
                parent.set(leaf, new TextNode(value));
            }
        });
    }

    private static void collectLeaves(JsonNode node, String path, Map<String, String> out) {
        node.fields().forEachRemaining(e -> {
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getValue().isObject() && !p.equals("routing.smartHosts")) collectLeaves(e.getValue(), p, out);
            else out.put(p.replace('.', '_').toUpperCase(Locale.ROOT), p);
        });
    }

    private static NodeConfig build(JsonNode t) {
        String hostname = text(t, "hostname");
        if (hostname.isBlank()) hostname = localHostName();
        return new NodeConfig(hostname, Path.of(text(t, "dataDir")),
                listener(t, "listeners.smtp"),
                listener(t, "listeners.submission"),
                listener(t, "listeners.admin"),
                new NodeConfig.Tls(optionalPath(t.path("tls"), "certificate"), optionalPath(t.path("tls"), "key"),
                        optionalPath(t.path("tls"), "trustedCertificates")),
                strings(t.path("dns").path("servers"), "dns.servers"),
                new NodeConfig.Delivery(integer(t, "delivery.mxPort"), integer(t, "delivery.maxConcurrentDeliveries"),
                        integer(t, "delivery.connectionsPerDestination"), bool(t, "delivery.mxMayBeThisNode"),
                        addresses(t.path("delivery").path("proxyAddresses"), "delivery.proxyAddresses")),
                new NodeConfig.Queue(duration(t, "queue.firstRetry"), duration(t, "queue.maxRetry"),
                        duration(t, "queue.maxLifetime"), duration(t, "queue.delayNotice"), duration(t, "queue.destinationWait")),
                new NodeConfig.Retention(duration(t, "retention.trace"), duration(t, "retention.audit")),
                new NodeConfig.Limits(longValue(t, "limits.maxMessageSize"), integer(t, "limits.maxRecipients"),
                        integer(t, "limits.maxConnections"), integer(t, "limits.maxConnectionsPerIp"),
                        integer(t, "limits.maxReceivedHeaders"), longValue(t, "limits.maxBufferedBytes"),
                        duration(t, "limits.maxTransferTime")),
                new NodeConfig.Protection(bool(t, "protection.enabled"), text(t, "protection.clamav"),
                        strings(t.path("protection").path("dnsBlockLists"), "protection.dnsBlockLists"),
                        text(t, "protection.rspamd")),
                smartHosts(t.path("routing").path("smartHosts")),
                text(t, "admin.token"),
                postmaster(text(t, "smtp.postmaster")),
                optionalListener(t, "listeners.imap"),
                optionalListener(t, "listeners.imapTls"),
                new CookieSecurity(bool(t, "admin.secureCookies"), ranges(t.path("admin").path("trustedProxies"), "admin.trustedProxies")),
                new DnsJavaResolver.Caching(integer(t, "dns.cache.maxEntries"), duration(t, "dns.cache.maxTtl")),
                new NodeConfig.ImapTimeouts(duration(t, "imap.loginDeadline"), duration(t, "imap.writeTimeout")));
    }

    /** Empty: none (postmaster mail is then held, see {@link NodeConfig#postmaster()}). */
    private static Address postmaster(String s) {
        if (s.isBlank()) return null;
        try {
            return Address.parse(s.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("smtp.postmaster must be a full address like admin@contoso.example, not '" + s.strip() + "'");
        }
    }

    private static JsonNode at(JsonNode t, String path) {
        JsonNode n = t;
        for (String p : path.split("\\.")) n = n.path(p);
        if (n.isMissingNode() || n.isNull()) throw new ConfigException("missing configuration key '" + path + "'");
        return n;
    }

    private static String text(JsonNode t, String path) {
        return at(t, path).asText();
    }

    private static boolean bool(JsonNode t, String path) {
        String s = at(t, path).asText().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException("'" + path + "' must be true or false, not '" + s + "'");
        };
    }

    private static long longValue(JsonNode t, String path) {
        String s = at(t, path).asText().trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + path + "' must be a whole number, not '" + s + "'");
        }
    }

    private static int integer(JsonNode t, String path) {
        long v = longValue(t, path);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw new ConfigException("'" + path + "' is out of range");
        return (int) v;
    }

    /** "90s", "15m", "24h", "7d", "500ms"; a bare number is seconds. */
    static Duration duration(JsonNode t, String path) {
        String s = at(t, path).asText().trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) throw new ConfigException("'" + path + "' must be a duration like 30s, 15m, 24h or 7d, not '" + s + "'");
        String unit = m.group(2) == null ? "s" : m.group(2);
        try {
            long n = Long.parseLong(m.group(1));
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException("'" + path + "' is out of range: '" + s + "'");
        }
    }

    private static NodeConfig.Listener listener(JsonNode t, String path) {
        return new NodeConfig.Listener(text(t, path + ".address"), integer(t, path + ".port"));
    }

    /** A listener whose empty address means: off. */
    private static NodeConfig.Listener optionalListener(JsonNode t, String path) {
        return text(t, path + ".address").isBlank() ? null : listener(t, path);
    }

    private static Path optionalPath(JsonNode n, String key) {
        String s = n.path(key).asText("");
        return s.isBlank() ? null : Path.of(s);
    }

    private static List<String> strings(JsonNode n, String path) {
        if (!n.isArray()) throw new ConfigException("'" + path + "' must be a list");
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** IP ranges (an address alone is a /32 or /128); a host name is refused, as for {@link #addresses}. */
    private static List<IpRange> ranges(JsonNode n, String path) {
        List<IpRange> out = new ArrayList<>();
        for (String s : strings(n, path)) {
            try {
                out.add(IpRange.parse(s.strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("'" + path + "': '" + s + "' is not an IP range (write 192.0.2.10 or 10.1.0.0/16, not names)");
            }
        }
        return out;
    }

    /** IP address literals; a host name is refused (what it resolves to may change, and this is read once). */
    private static List<java.net.InetAddress> addresses(JsonNode n, String path) {
        List<java.net.InetAddress> out = new ArrayList<>();
        for (String s : strings(n, path)) {
            try {
                out.add(java.net.InetAddress.ofLiteral(s.strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("'" + path + "': '" + s + "' is not an IP address (write addresses, not names)");
            }
        }
        return out;
    }

    private static Map<String, List<String>> smartHosts(JsonNode n) {
        if (!n.isObject()) throw new ConfigException("'routing.smartHosts' must be a mapping of domain to hosts");
        Map<String, List<String>> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isArray()
                ? strings(e.getValue(), "routing.smartHosts." + e.getKey()) : List.of(e.getValue().asText())));
        return out;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
