package sluice.server;

import org.junit.jupiter.api.Assumptions;
import sluice.smtp.testing.TestCertificates;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away Postfix, the stand-in for an organization's on-premises server: its own
 * configuration, queue and data directories under a test's temp directory, an SMTP listener on one
 * loopback address, virtual mailboxes delivered into Maildirs, and whatever main.cf / master.cf
 * lines a scenario adds (transports, client certificates, source addresses).
 *
 * <p>Needs /usr/sbin/postfix and root (Postfix's master runs as root). {@link #require()} skips the
 * test on a workstation without them and fails it on CI ({@code CI=true}), where {@code .ci/run}
 * installs Postfix.
 */
final class PostfixInstance implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final Path root;
    private final Path etc;
    private final String address;
    private final int port;
    private boolean started;

    /** What a scenario configures; everything else is the fixed throw-away setup. */
    static final class Builder {
        private final Path root;
        private final String address;
        private final int port;
        private String hostname = "postfix.onprem.contoso.example";
        private String mydomain = "onprem.contoso.example";
        private String bindAddress;
        private TestCertificates.Identity serverIdentity;
        private final List<String> mailboxes = new ArrayList<>();
        private final List<String> mainCf = new ArrayList<>();
        private final List<String> masterCf = new ArrayList<>();
        private final List<String[]> files = new ArrayList<>();
        private final List<Object[]> identities = new ArrayList<>();

        private Builder(Path root, String address) throws IOException {
            this.root = root;
            this.address = address;
            this.port = freePort(address);
        }

        /** The listener's port, known before the start (for configuration that names it). */
        int port() { return port; }
        String hostPort() { return address + ":" + port; }
        Builder hostname(String h) { hostname = h; return this; }
        /** The virtual mailbox domain (default onprem.contoso.example). */
        Builder mydomain(String d) { mydomain = d; return this; }
        /** The source address of Postfix's outgoing SMTP connections (smtp_bind_address). */
        Builder bindAddress(String a) { bindAddress = a; return this; }
        /** The certificate the listener presents for STARTTLS (default: self-signed for the host name). */
        Builder serverIdentity(TestCertificates.Identity id) { serverIdentity = id; return this; }
        /** A virtual mailbox {@code local@mydomain}, delivered into {@code vmail/local/}. */
        Builder mailbox(String local) { mailboxes.add(local); return this; }
        /** A main.cf line; {@code %ETC%} is replaced by the configuration directory. */
        Builder main(String line) { mainCf.add(line); return this; }
        /** A master.cf line (continuation lines start with white space); {@code %ETC%} as in {@link #main}. */
        Builder master(String line) { masterCf.add(line); return this; }
        /** A file in the configuration directory (maps, certificates); {@code %ETC%} is replaced in its text. */
        Builder file(String name, String text) { files.add(new String[]{name, text}); return this; }

        /** {@code id}'s chain and key as PEM files in the configuration directory (e.g. for smtp_tls_cert_file). */
        Builder identityFiles(String certFile, String keyFile, TestCertificates.Identity id) {
            identities.add(new Object[]{certFile, keyFile, id});
            return this;
        }

        PostfixInstance start() throws Exception {
            PostfixInstance p = new PostfixInstance(root, address, port);
            p.start(this);
            return p;
        }
    }

    /**
     * A Postfix listening on {@code address} (a free port is chosen now), rooted in {@code root} (a
     * temp directory it owns; made world-traversable for virtual(8)).
     */
    static Builder in(Path root, String address) throws IOException {
        return new Builder(root, address);
    }

    private PostfixInstance(Path root, String address, int port) {
        this.root = root;
        this.etc = root.resolve("postfix-etc");
        this.address = address;
        this.port = port;
    }

    static void require() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        String missing = !Files.isExecutable(Path.of("/usr/sbin/postfix")) ? "/usr/sbin/postfix is not installed"
                : !"root".equals(System.getProperty("user.name")) ? "Postfix's master must be started as root" : null;
        if (missing == null) return;
        String message = missing + "; the Postfix scenario tests need it (.ci/run installs Postfix)";
        if (ci) throw new AssertionError(message);
        Assumptions.abort(message);
    }

    String address() { return address; }
    int port() { return port; }
    /** "127.0.0.8:40211", the form a smart host is written in. */
    String hostPort() { return address + ":" + port; }
    Path etc() { return etc; }

    /** The message in {@code local}'s Maildir (new/) whose text contains {@code needle}, if it arrived. */
    Optional<String> maildirMessage(String local, String needle) throws IOException {
        Path dir = root.resolve("vmail").resolve(local).resolve("new");
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (text.contains(needle)) return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    /** Waits for {@link #maildirMessage}; the failure shows Postfix's log. */
    String awaitMaildir(String local, String needle) {
        return Poll.until(WAIT, () -> "a message containing '" + needle + "' in " + local + "'s Maildir at Postfix; log:\n" + log(),
                () -> maildirMessage(local, needle), Optional::isPresent).orElseThrow();
    }

    String log() {
        try {
            Path log = root.resolve("postfix.log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void start(Builder b) throws Exception {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x")); // virtual(8) runs as nobody
        Files.createDirectories(etc);
        Path data = Files.createDirectories(root.resolve("postfix-data"));
        Path vmail = Files.createDirectories(root.resolve("vmail"));
        Files.createDirectories(root.resolve("postfix-spool"));
        UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("postfix"));
        Files.setOwner(vmail, users.lookupPrincipalByName("nobody"));
        Files.getFileAttributeView(vmail, PosixFileAttributeView.class).setGroup(nobodysGroup(users));
        int nobody = (Integer) Files.getAttribute(vmail, "unix:uid");
        int nogroup = (Integer) Files.getAttribute(vmail, "unix:gid");

        TestCertificates.Identity id = b.serverIdentity != null ? b.serverIdentity : TestCertificates.selfSigned(b.hostname, b.hostname);
        writeIdentity(etc, "cert.pem", "key.pem", id);
        StringBuilder vmailbox = new StringBuilder();
        for (String local : b.mailboxes) vmailbox.append(local).append('@').append(b.mydomain).append(' ').append(local).append("/\n");
        Files.writeString(etc.resolve("vmailbox"), vmailbox);
        for (Object[] i : b.identities) writeIdentity(etc, (String) i[0], (String) i[1], (TestCertificates.Identity) i[2]);
        for (String[] f : b.files) Files.writeString(etc.resolve(f[0]), f[1].replace("%ETC%", etc.toString()));

        Files.writeString(etc.resolve("main.cf"), """
                compatibility_level = 3.6
                myhostname = %1$s
                mydomain = %7$s
                myorigin = $mydomain
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = 127.0.0.0/8
                queue_directory = %2$s/postfix-spool
                data_directory = %2$s/postfix-data
                maillog_file = %2$s/postfix.log
                maillog_file_prefixes = %2$s
                smtpd_relay_restrictions = permit_mynetworks, reject
                smtpd_tls_security_level = may
                smtpd_tls_cert_file = %3$s/cert.pem
                smtpd_tls_key_file = %3$s/key.pem
                smtpd_tls_received_header = yes
                smtp_tls_security_level = may
                %4$s
                smtp_dns_support_level = disabled
                smtp_connection_cache_on_demand = no
                alias_maps =
                alias_database =
                local_recipient_maps =
                virtual_mailbox_domains = %7$s
                virtual_mailbox_base = %2$s/vmail
                virtual_mailbox_maps = texthash:%3$s/vmailbox
                virtual_uid_maps = static:%5$d
                virtual_gid_maps = static:%6$d
                queue_run_delay = 1s
                minimal_backoff_time = 1s
                maximal_backoff_time = 2s
                smtp_connect_timeout = 5s
                biff = no
                """.formatted(b.hostname, root, etc, b.bindAddress == null ? "" : "smtp_bind_address = " + b.bindAddress,
                nobody, nogroup, b.mydomain)
                + String.join("\n", b.mainCf).replace("%ETC%", etc.toString()) + "\n");
        Files.writeString(etc.resolve("master.cf"), """
                %s:%d inet n - n - - smtpd
                pickup    unix  n  -  n  60     1  pickup
                cleanup   unix  n  -  n  -      0  cleanup
                qmgr      unix  n  -  n  300    1  qmgr
                tlsmgr    unix  -  -  n  1000?  1  tlsmgr
                rewrite   unix  -  -  n  -      -  trivial-rewrite
                bounce    unix  -  -  n  -      0  bounce
                defer     unix  -  -  n  -      0  bounce
                trace     unix  -  -  n  -      0  bounce
                verify    unix  -  -  n  -      1  verify
                flush     unix  n  -  n  1000?  0  flush
                proxymap  unix  -  -  n  -      -  proxymap
                smtp      unix  -  -  n  -      -  smtp
                relay     unix  -  -  n  -      -  smtp
                showq     unix  n  -  n  -      -  showq
                error     unix  -  -  n  -      -  error
                retry     unix  -  -  n  -      -  error
                discard   unix  -  -  n  -      -  discard
                local     unix  -  n  n  -      -  local
                virtual   unix  -  n  n  -      -  virtual
                anvil     unix  -  -  n  -      1  anvil
                scache    unix  -  -  n  -      1  scache
                postlog   unix-dgram n - n -    1  postlogd
                """.formatted(address, port) + String.join("\n", b.masterCf).replace("%ETC%", etc.toString()) + "\n");

        postfix("check");
        postfix("start");
        started = true;
        Poll.until(WAIT, "Postfix to greet on " + hostPort(), () -> {
            try (SmtpTalk c = SmtpTalk.connect(address, port)) {
                String greeting = c.greeting();
                c.quit();
                return greeting;
            }
        }, g -> g.startsWith("220 "));
    }

    @Override
    public void close() throws Exception {
        if (!started) return;
        Path pidFile = root.resolve("postfix-spool/pid/master.pid");
        long pid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
        postfix("stop");
        started = false;
        // Wait for the master (and with it its children) to go, so the temp directory can be removed.
        Poll.until(WAIT, "Postfix's master to exit", () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                alive -> !alive);
    }

    /** {@code postfix flush}: attempts every deferred message now, as an administrator would. */
    void flush() throws Exception {
        postfix("flush");
    }

    private void postfix(String command) throws Exception {
        Process p = new ProcessBuilder("/usr/sbin/postfix", "-c", etc.toString(), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("postfix " + command + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("postfix -c " + etc + " " + command + " failed (" + p.exitValue() + "): " + out + "\n" + log());
        }
    }

    /** Writes {@code id}'s chain (leaf first) and its key as PEM files in {@code dir}, the key readable by root only. */
    static void writeIdentity(Path dir, String certFile, String keyFile, TestCertificates.Identity id) throws IOException {
        StringBuilder chain = new StringBuilder();
        for (X509Certificate c : id.chain()) chain.append(pem("CERTIFICATE", encoded(c)));
        Files.writeString(dir.resolve(certFile), chain);
        Files.writeString(dir.resolve(keyFile), pem("PRIVATE KEY", id.key().getEncoded()));
        Files.setPosixFilePermissions(dir.resolve(keyFile), PosixFilePermissions.fromString("rw-------"));
    }

    static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static GroupPrincipal nobodysGroup(UserPrincipalLookupService users) throws IOException {
        try {
            return users.lookupPrincipalByGroupName("nogroup"); // Debian
        } catch (UserPrincipalNotFoundException e) {
            return users.lookupPrincipalByGroupName("nobody");
        }
    }

    static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return s.getLocalPort();
        }
    }
}
