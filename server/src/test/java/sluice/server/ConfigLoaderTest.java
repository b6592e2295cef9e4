package sluice.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.admin.auth.CookieSecurity;
import sluice.core.connector.IpRange;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.mail.Address;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node configuration: built-in defaults, then the YAML file, then SLUICE_* environment variables. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void theDnsCacheIsOnByDefaultAndItsBoundsAreChecked() throws IOException {
        assertThat(ConfigLoader.load(dir.resolve("absent.yaml"), Map.of()).dnsCache())
                .isEqualTo(new DnsJavaResolver.Caching(10_000, Duration.ofDays(1)));
        NodeConfig c = ConfigLoader.load(write("dns:\n  cache: {maxEntries: 500, maxTtl: 1h}\n"), Map.of("SLUICE_DNS_CACHE_MAXENTRIES", "0"));
        assertThat(c.dnsCache()).isEqualTo(new DnsJavaResolver.Caching(0, Duration.ofHours(1)));
        assertThatThrownBy(() -> ConfigLoader.load(write("dns:\n  cache: {maxEntries: -1}\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessage("invalid configuration: dns.cache.maxEntries must be between 0 (no cache) and 200000, not -1");
        assertThatThrownBy(() -> ConfigLoader.load(write("dns:\n  cache: {maxTtl: 30d}\n"), Map.of()))
                .hasMessage("invalid configuration: dns.cache.maxTtl must be between 0 (no cache) and 7d");
        assertThatThrownBy(() -> ConfigLoader.load(write("dns:\n  cache: {size: 5}\n"), Map.of()))
                .hasMessage("unknown configuration key 'dns.cache.size'");
    }

    @Test
    void withoutAFileEveryKeyHasItsDefault() {
        NodeConfig c = ConfigLoader.load(dir.resolve("absent.yaml"), Map.of());
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.smtp()).isEqualTo(new NodeConfig.Listener("0.0.0.0", 2525));
        assertThat(c.admin()).isEqualTo(new NodeConfig.Listener("127.0.0.1", 8080));
        assertThat(c.tls()).isEqualTo(new NodeConfig.Tls(null, null, null));
        assertThat(c.dnsServers()).isEmpty();
        assertThat(c.delivery()).isEqualTo(new NodeConfig.Delivery(25, 200, 20, false));
        assertThat(c.queue()).isEqualTo(new NodeConfig.Queue(Duration.ofMinutes(1), Duration.ofMinutes(60),
                Duration.ofHours(24), Duration.ofHours(4)));
        assertThat(c.retention()).isEqualTo(new NodeConfig.Retention(Duration.ofDays(90), Duration.ofDays(365)));
        assertThat(c.limits()).isEqualTo(new NodeConfig.Limits(36_700_160, 500, 1000, 50, 50));
        assertThat(c.protection()).isEqualTo(new NodeConfig.Protection("", List.of(), ""));
        assertThat(c.smartHosts()).isEmpty();
        assertThat(c.adminToken()).isEmpty();
        assertThat(c.hostname()).isNotBlank();
    }

    @Test
    void rspamdIsAnHttpUrl() throws IOException {
        assertThat(ConfigLoader.load(write("protection:\n  rspamd: http://127.0.0.1:11333\n"), Map.of()).protection().rspamd())
                .isEqualTo("http://127.0.0.1:11333");
        assertThat(ConfigLoader.load(null, Map.of("SLUICE_PROTECTION_RSPAMD", "http://rspamd.internal:11333/")).protection().rspamd())
                .isEqualTo("http://rspamd.internal:11333/");
        assertThat(ConfigLoader.load(write("protection:\n  enabled: false\n"), Map.of()).protection().enabled()).isFalse();
        assertThat(ConfigLoader.load(null, Map.of("SLUICE_PROTECTION_ENABLED", "off")).protection().enabled()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(write("protection:\n  enabled: maybe\n"), Map.of()))
                .hasMessage("'protection.enabled' must be true or false, not 'maybe'");
        assertThatThrownBy(() -> ConfigLoader.load(write("protection:\n  rspamd: 127.0.0.1:11333\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessage("invalid configuration: protection.rspamd: need an http(s) URL with a host, like http://127.0.0.1:11333, not '127.0.0.1:11333'");
    }

    /** Plain cookies by default (the admin listener is plain HTTP); only a proxy on this machine may say HTTPS. */
    @Test
    void adminCookiesAreSecureWhenTheOperatorSaysOrATrustedProxyDoes() throws IOException {
        CookieSecurity byDefault = ConfigLoader.load(null, Map.of()).adminCookies();
        assertThat(byDefault.always()).isFalse();
        assertThat(byDefault.secure("127.0.0.1", "https")).isTrue();
        assertThat(byDefault.secure("0:0:0:0:0:0:0:1", "https")).isTrue();
        assertThat(byDefault.secure("192.0.2.7", "https")).isFalse();

        CookieSecurity set = ConfigLoader.load(write("admin:\n  secureCookies: true\n  trustedProxies: [10.1.0.0/16, 192.0.2.7]\n"),
                Map.of()).adminCookies();
        assertThat(set.always()).isTrue();
        assertThat(set.trustedProxies()).containsExactly(IpRange.parse("10.1.0.0/16"), IpRange.parse("192.0.2.7/32"));
        CookieSecurity fromEnv = ConfigLoader.load(null, Map.of("SLUICE_ADMIN_TRUSTEDPROXIES", "192.0.2.7")).adminCookies();
        assertThat(fromEnv.secure("192.0.2.7", "https")).isTrue();
        assertThat(fromEnv.secure("127.0.0.1", "https")).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(write("admin:\n  trustedProxies: [proxy.internal]\n"), Map.of()))
                .hasMessageContaining("'admin.trustedProxies': 'proxy.internal' is not an IP range");
    }

    @Test
    void proxyAddressesAreIpAddressesNotNames() throws IOException {
        assertThat(ConfigLoader.load(write("delivery:\n  proxyAddresses: [203.0.113.25, \"2001:db8::25\"]\n"), Map.of())
                .delivery().proxyAddresses())
                .containsExactly(java.net.InetAddress.ofLiteral("203.0.113.25"), java.net.InetAddress.ofLiteral("2001:db8::25"));
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery:\n  proxyAddresses: [mx.example.com]\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("'delivery.proxyAddresses': 'mx.example.com' is not an IP address");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery:\n  proxyAddresses: 203.0.113.25\n"), Map.of()))
                .hasMessageContaining("'delivery.proxyAddresses' must be a list");
    }

    @Test
    void theMessageBufferBudgetAndTransferTimeAreLimits() throws IOException {
        NodeConfig.Limits defaults = ConfigLoader.load(null, Map.of()).limits();
        assertThat(defaults.maxBufferedBytes()).isZero();
        assertThat(defaults.maxTransferTime()).isEqualTo(Duration.ofMinutes(10));
        NodeConfig.Limits set = ConfigLoader.load(write("limits:\n  maxBufferedBytes: 268435456\n  maxTransferTime: 5m\n"), Map.of()).limits();
        assertThat(set.maxBufferedBytes()).isEqualTo(256L << 20);
        assertThat(set.maxTransferTime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigLoader.load(null, Map.of("SLUICE_LIMITS_MAXTRANSFERTIME", "90s")).limits().maxTransferTime())
                .isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> ConfigLoader.load(write("limits:\n  maxBufferedBytes: 1000000\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("limits.maxBufferedBytes must be 0 (a quarter of the heap) or at least 4 times limits.maxMessageSize");
        assertThatThrownBy(() -> ConfigLoader.load(write("limits:\n  maxTransferTime: 0s\n"), Map.of()))
                .hasMessageContaining("limits.maxTransferTime must be between 1s and 24h");
    }

    @Test
    void anEmptyFileMeansDefaults() throws IOException {
        assertThat(ConfigLoader.load(write(""), Map.of())).isEqualTo(ConfigLoader.load(null, Map.of()));
    }

    @Test
    void imapListensWithStartTlsByDefaultAndImplicitTlsOnlyWhenGivenAnAddress() throws IOException {
        NodeConfig defaults = ConfigLoader.load(dir.resolve("absent.yaml"), Map.of());
        assertThat(defaults.imap()).isEqualTo(new NodeConfig.Listener("0.0.0.0", 2143));
        assertThat(defaults.imapTls()).isNull();

        NodeConfig c = ConfigLoader.load(write("""
                listeners:
                  imap: {address: ""}
                  imapTls: {address: 127.0.0.1, port: 993}
                """), Map.of());
        assertThat(c.imap()).isNull();
        assertThat(c.imapTls()).isEqualTo(new NodeConfig.Listener("127.0.0.1", 993));
        assertThat(ConfigLoader.load(null, Map.of("SLUICE_LISTENERS_IMAP_PORT", "143")).imap())
                .isEqualTo(new NodeConfig.Listener("0.0.0.0", 143));
    }

    @Test
    void imapLoginDeadlineAndWriteTimeoutAreDurationsWithTheirDefaults() throws IOException {
        assertThat(ConfigLoader.load(null, Map.of()).imapTimeouts()).isEqualTo(NodeConfig.ImapTimeouts.DEFAULT)
                .isEqualTo(new NodeConfig.ImapTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(5)));
        NodeConfig c = ConfigLoader.load(write("imap:\n  loginDeadline: 45s\n  writeTimeout: 2m\n"), Map.of());
        assertThat(c.imapTimeouts()).isEqualTo(new NodeConfig.ImapTimeouts(Duration.ofSeconds(45), Duration.ofMinutes(2)));
        assertThat(ConfigLoader.load(null, Map.of("SLUICE_IMAP_WRITETIMEOUT", "90")).imapTimeouts().writeTimeout())
                .isEqualTo(Duration.ofSeconds(90));

        assertThatThrownBy(() -> ConfigLoader.load(write("imap:\n  loginDeadline: 0s\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("imap.loginDeadline must be between 1s and 1h");
        assertThatThrownBy(() -> ConfigLoader.load(write("imap:\n  writeTimeout: 2h\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("imap.writeTimeout must be between 1s and 1h");
        assertThatThrownBy(() -> ConfigLoader.load(write("imap:\n  writeTimeout: soon\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("'imap.writeTimeout' must be a duration");
        assertThatThrownBy(() -> ConfigLoader.load(write("imap:\n  loginTimeout: 1m\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class).hasMessageContaining("unknown configuration key 'imap.loginTimeout'");
    }

    @Test
    void theFileOverridesOnlyWhatItNames() throws IOException {
        NodeConfig c = ConfigLoader.load(write("""
                hostname: mx1.contoso.example
                dataDir: /var/lib/sluice
                listeners:
                  smtp: {port: 25}
                dns:
                  servers: ["127.0.0.1:5353"]
                queue:
                  firstRetry: 90s
                  maxLifetime: 2d
                  delayNotice: 0
                limits:
                  maxRecipients: 1000
                routing:
                  smartHosts:
                    onprem.contoso.example: mail.onprem.contoso.example:2525
                    "*.partner.example": [a.partner.example, "192.0.2.7:587"]
                admin:
                  token: 0123456789abcdef0123
                """), Map.of());
        assertThat(c.hostname()).isEqualTo("mx1.contoso.example");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/sluice"));
        assertThat(c.smtp()).isEqualTo(new NodeConfig.Listener("0.0.0.0", 25));
        assertThat(c.dnsServers()).containsExactly("127.0.0.1:5353");
        assertThat(c.queue()).isEqualTo(new NodeConfig.Queue(Duration.ofSeconds(90), Duration.ofMinutes(60),
                Duration.ofDays(2), Duration.ZERO));
        assertThat(c.limits().maxRecipients()).isEqualTo(1000);
        assertThat(c.limits().maxMessageSize()).isEqualTo(36_700_160);
        assertThat(c.smartHosts()).containsExactly(
                Map.entry("onprem.contoso.example", List.of("mail.onprem.contoso.example:2525")),
                Map.entry("*.partner.example", List.of("a.partner.example", "192.0.2.7:587")));
        assertThat(c.adminToken()).isEqualTo("0123456789abcdef0123");
    }

    @Test
    void theWaitForADestinationIsFiveMinutesUnlessSetAndMustBeSensible() throws IOException {
        assertThat(ConfigLoader.load(write("hostname: mx.test\n"), Map.of()).queue().destinationWait())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(ConfigLoader.load(write("queue:\n  destinationWait: 90s\n"), Map.of()).queue().destinationWait())
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(ConfigLoader.load(write("hostname: mx.test\n"), Map.of("SLUICE_QUEUE_DESTINATIONWAIT", "2m"))
                .queue().destinationWait()).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> ConfigLoader.load(write("queue:\n  destinationWait: 0\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("queue.destinationWait must be longer than 0");
        assertThatThrownBy(() -> ConfigLoader.load(write("queue:\n  destinationWait: 2h\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageContaining("queue.destinationWait must be at most 1h");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingTheKey() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("listeners:\n  smpt: {port: 25}\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessage("unknown configuration key 'listeners.smpt'");
        assertThatThrownBy(() -> ConfigLoader.load(write("queue:\n  firstRetri: 1m\n"), Map.of()))
                .hasMessage("unknown configuration key 'queue.firstRetri'");
    }

    @Test
    void badValuesAreErrorsThatSayWhatIsExpected() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("queue:\n  firstRetry: soon\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessage("'queue.firstRetry' must be a duration like 30s, 15m, 24h or 7d, not 'soon'");
        assertThatThrownBy(() -> ConfigLoader.load(write("queue:\n  maxRetry: 5 minutes\n"), Map.of()))
                .hasMessage("'queue.maxRetry' must be a duration like 30s, 15m, 24h or 7d, not '5 minutes'");
        assertThatThrownBy(() -> ConfigLoader.load(write("limits:\n  maxRecipients: lots\n"), Map.of()))
                .hasMessage("'limits.maxRecipients' must be a whole number, not 'lots'");
        assertThatThrownBy(() -> ConfigLoader.load(write("listeners:\n  smtp: {port: 70000}\n"), Map.of()))
                .hasMessage("invalid configuration: port out of range: 70000");
        assertThatThrownBy(() -> ConfigLoader.load(write("limits:\n  maxRecipients: 50\n"), Map.of()))
                .hasMessage("invalid configuration: limits.maxRecipients must be at least 100 (RFC 5321 section 4.5.3.1.8)");
        assertThatThrownBy(() -> ConfigLoader.load(write("delivery:\n  maxConcurrentDeliveries: 20\n  connectionsPerDestination: 20\n"), Map.of()))
                .hasMessage("invalid configuration: delivery.connectionsPerDestination (20) must be less than "
                        + "delivery.maxConcurrentDeliveries (20)");
        assertThat(ConfigLoader.load(write("delivery:\n  maxConcurrentDeliveries: 10\n"), Map.of()).delivery().connectionsPerDestination())
                .as("the default share fits a smaller node").isEqualTo(9);
        assertThatThrownBy(() -> ConfigLoader.load(write("listeners: 2525\n"), Map.of()))
                .hasMessage("'listeners' must be a mapping");
        Path list = write("- a\n- b\n");
        assertThatThrownBy(() -> ConfigLoader.load(list, Map.of()))
                .hasMessage(list + ": the top level must be a mapping of keys");
        Path broken = write("listeners: {smtp: [\n");
        assertThatThrownBy(() -> ConfigLoader.load(broken, Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessageStartingWith("cannot read " + broken + ": ");
    }

    @Test
    void retentionIsAPositiveDuration() throws IOException {
        assertThat(ConfigLoader.load(write("retention:\n  trace: 7d\n  audit: 12h\n"), Map.of()).retention())
                .isEqualTo(new NodeConfig.Retention(Duration.ofDays(7), Duration.ofHours(12)));
        assertThat(ConfigLoader.load(null, Map.of("SLUICE_RETENTION_AUDIT", "30d")).retention().audit()).isEqualTo(Duration.ofDays(30));
        Map.of("trace: 0d", "invalid configuration: retention.trace must be longer than 0, like 90d (0 would remove every entry within the hour)",
                "audit: -5d", "'retention.audit' must be a duration like 30s, 15m, 24h or 7d, not '-5d'",
                "trace: forever", "'retention.trace' must be a duration like 30s, 15m, 24h or 7d, not 'forever'",
                "audit: 36501d", "invalid configuration: retention.audit must be at most 36500d (100 years)",
                "audit: 99999999999999999999d", "'retention.audit' is out of range: '99999999999999999999d'"
        ).forEach((setting, message) -> assertThatThrownBy(() -> ConfigLoader.load(write("retention:\n  " + setting + "\n"), Map.of()))
                .as(setting).isInstanceOf(ConfigLoader.ConfigException.class).hasMessage(message));
    }

    @Test
    void smtpPostmasterIsAFullAddressOrNothing() throws IOException {
        assertThat(ConfigLoader.load(null, Map.of()).postmaster()).isNull();
        assertThat(ConfigLoader.load(write("smtp:\n  postmaster: Admin@Contoso.Example\n"), Map.of()).postmaster())
                .isEqualTo(Address.parse("Admin@contoso.example"));
        assertThat(ConfigLoader.load(null, Map.of("SLUICE_SMTP_POSTMASTER", "noc@partner.example")).postmaster())
                .isEqualTo(Address.parse("noc@partner.example"));
        assertThatThrownBy(() -> ConfigLoader.load(write("smtp:\n  postmaster: postmaster\n"), Map.of()))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessage("smtp.postmaster must be a full address like admin@contoso.example, not 'postmaster'");
    }

    @Test
    void environmentVariablesOverrideTheFile() throws IOException {
        Path file = write("listeners:\n  smtp: {port: 25}\nadmin:\n  token: from-the-file-0123456789\n");
        NodeConfig c = ConfigLoader.load(file, Map.of(
                "SLUICE_LISTENERS_SMTP_PORT", "2600",
                "SLUICE_ADMIN_TOKEN", "from-the-environment-0123456789",
                "SLUICE_DNS_SERVERS", "127.0.0.1:5353, 127.0.0.2:53",
                "SLUICE_QUEUE_MAXLIFETIME", "36h",
                "SLUICE_CLI_URL", "http://127.0.0.1:8080/", // another component's variable: ignored
                "PATH", "/usr/bin"));
        assertThat(c.smtp()).isEqualTo(new NodeConfig.Listener("0.0.0.0", 2600));
        assertThat(c.adminToken()).isEqualTo("from-the-environment-0123456789");
        assertThat(c.dnsServers()).containsExactly("127.0.0.1:5353", "127.0.0.2:53");
        assertThat(c.queue().maxLifetime()).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void aBadEnvironmentValueNamesTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SLUICE_LISTENERS_SMTP_PORT", "twenty-five")))
                .isInstanceOf(ConfigLoader.ConfigException.class)
                .hasMessage("'listeners.smtp.port' must be a whole number, not 'twenty-five'");
    }

    private Path write(String yaml) throws IOException {
        Path f = Files.createTempFile(dir, "sluice", ".yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
