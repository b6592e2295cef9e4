package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundConnector.HostReport;
import sluice.core.connector.OutboundConnector.TlsSettings;
import sluice.core.connector.OutboundConnector.Validation;
import sluice.core.deliver.Outcome;
import sluice.core.dns.Dns;
import sluice.core.mail.QueuedMessage;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An organization administrator names the host and port a connector validation connects to. The report must
 * not make that a banner grabber for whatever the node reaches: a service that is no SMTP server (here an SSH
 * server's version line) is reported as such, without what it sent; an SMTP server's replies are still shown,
 * but only as plain reply text. The same holds for a delivery's outcome, whose detail reaches the tenant's message
 * trace and the delay and expiry notices sent to (external) senders.
 */
class ValidationShowsOnlySmtpRepliesTest {

    private static final String SSH_BANNER = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3";

    private ServerSocket server;

    /** A peer on loopback that sends {@code greeting}, then answers EHLO 250, QUIT 221, anything else 500. */
    private int peer(String greeting) throws Exception {
        return peer(greeting, verb -> null);
    }

    /** As {@link #peer(String)}, but {@code special} answers a verb first when it gives an answer (CRLF included). */
    private int peer(String greeting, Function<String, String> special) throws Exception {
        ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server = listener; // a test may close it and start another: this thread keeps to its own
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write((greeting + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line; (line = in.readLine()) != null; ) {
                        String verb = line.split(" ")[0].toUpperCase(Locale.ROOT);
                        String answer = special.apply(verb);
                        out.write((answer != null ? answer : switch (verb) {
                            case "EHLO" -> "250-peer.test\r\n250 8BITMIME\r\n";
                            case "QUIT" -> "221 bye\r\n";
                            default -> "500 unknown\r\n";
                        }).getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        if (verb.equals("QUIT")) break;
                    }
                } catch (Exception e) {
                    // the listener was closed, or the validator hung up
                }
            }
        });
        return server.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    private static HostReport validate(int port) {
        return validate(port, TlsSettings.NONE);
    }

    private static HostReport validate(int port, TlsSettings tls) {
        Dns unused = new Dns() {
            @Override public List<Mx> mx(Domain d) throws NoSuchDomain { throw new NoSuchDomain(d.name()); }
            @Override public List<InetAddress> addresses(Domain d) throws NoSuchDomain { throw new NoSuchDomain(d.name()); }
            @Override public List<String> txt(Domain d) throws NoSuchDomain { throw new NoSuchDomain(d.name()); }
        };
        var validator = new ConnectorValidator(unused, RemoteFixture.options(25), InstantSource.fixed(Instant.EPOCH));
        // a global administrator's connector (local hops allowed), so that the peer may be on loopback
        var connector = new OutboundConnector("c-1", "org-1", "To Partner", ConnectorType.PARTNER, true, null,
                List.of(DomainPattern.parse("partner.test")), false, List.of(HostPort.parse("127.0.0.1:" + port)), false,
                tls, null, false, false, null, true);
        Validation v = validator.validate(connector, List.of(), null);
        assertThat(v.hosts()).hasSize(1);
        return v.hosts().getFirst();
    }

    private static String everything(HostReport r) {
        return String.join("\n", r.steps()) + "\n" + r.error();
    }

    @Test
    void anSshServersBannerIsNotShown() throws Exception {
        int port = peer(SSH_BANNER);

        HostReport r = validate(port);

        assertThat(r.succeeded()).isFalse();
        assertThat(r.error()).isEqualTo("[127.0.0.1]:" + port + ": greeting: the service did not answer as an SMTP server");
        assertThat(everything(r)).doesNotContain("SSH").doesNotContain("OpenSSH").doesNotContain("Debian");
    }

    @Test
    void anSmtpServersGreetingIsShown() throws Exception {
        int port = peer("220 peer.test ESMTP ready");

        HostReport r = validate(port);

        assertThat(r.succeeded()).isTrue();
        assertThat(r.steps()).contains("greeting: 220 peer.test ESMTP ready");
    }

    @Test
    void anSmtpServersRefusalIsShown() throws Exception {
        int port = peer("554 5.7.1 peer.test does not take mail from you");

        HostReport r = validate(port);

        assertThat(r.error()).isEqualTo("[127.0.0.1]:" + port + ": greeting: server said 554 5.7.1 peer.test does not take mail from you");
    }

    @Test
    void aReplyWhoseTextIsNotPlainIsShownByItsCodeOnly() throws Exception {
        int port = peer("220 \u001b[2J\u00e9" + "x".repeat(600));

        HostReport r = validate(port);

        assertThat(r.succeeded()).isTrue();
        assertThat(r.steps()).contains("greeting: 220 (its text is not shown: it is not plain SMTP reply text)");
        assertThat(everything(r)).doesNotContain("xxx");
    }

    @Test
    void aRefusalWhoseTextIsNotPlainIsShownByItsCodeOnly() throws Exception {
        int port = peer("421 " + "-ERR wrong number of arguments".repeat(30));

        HostReport r = validate(port);

        assertThat(r.error()).isEqualTo("[127.0.0.1]:" + port
                + ": greeting: the server answered 421 (its text is not shown: it is not plain SMTP reply text)");
    }

    private static final String OFFERS_STARTTLS = "250-peer.test\r\n250 STARTTLS\r\n";

    @Test
    void whatAServiceSentInReplyToStartTlsIsNotShownWhenItIsNoReply() throws Exception {
        int port = peer("220 peer.test", verb -> switch (verb) {
            case "EHLO" -> OFFERS_STARTTLS;
            case "STARTTLS" -> SSH_BANNER + "\r\n";
            default -> null;
        });

        HostReport r = validate(port, TlsSettings.ENCRYPTION_ONLY);

        assertThat(r.succeeded()).isFalse();
        assertThat(r.error()).endsWith("but [127.0.0.1]:" + port + " did not answer STARTTLS as an SMTP server");
        assertThat(everything(r)).doesNotContain("SSH").doesNotContain("Debian");
    }

    @Test
    void aStartTlsRefusalWhoseTextIsNotPlainIsShownByItsCodeOnly() throws Exception {
        int port = peer("220 peer.test", verb -> switch (verb) {
            case "EHLO" -> OFFERS_STARTTLS;
            case "STARTTLS" -> "454 \u001b[2J-ERR secret\u00e9\r\n";
            default -> null;
        });

        HostReport r = validate(port, TlsSettings.ENCRYPTION_ONLY);

        assertThat(r.error()).endsWith("refused STARTTLS: 454 (its text is not shown: it is not plain SMTP reply text)");
        assertThat(everything(r)).doesNotContain("secret").doesNotContain("\u001b");
    }

    @Test
    void extensionKeywordsThatAreNotPlainAreLeftOut() throws Exception {
        int port = peer("220 peer.test", verb -> verb.equals("EHLO")
                ? "250-peer.test\r\n250-\u001b[31m-ERR_internal_secret_" + "y".repeat(700) + "\r\n250-X" + "Y".repeat(60) + "\r\n250 8BITMIME\r\n"
                : null);

        HostReport r = validate(port);

        assertThat(r.succeeded()).isTrue();
        assertThat(r.steps()).contains("EHLO: 250, extensions 8BITMIME (and 2 not shown: not plain extension keywords)");
        assertThat(everything(r)).doesNotContain("secret").doesNotContain("YYY");
    }

    private static Outcome delivered(int port, TlsPolicy tls) {
        var delivery = new SmtpRemoteDelivery(null, RemoteFixture.options(25));
        try {
            QueuedMessage m = RemoteFixture.message("alice@tenant.test", "Subject: s\r\n\r\nx\r\n");
            var route = new Route.ToSmartHost(List.of(HostPort.parse("127.0.0.1:" + port)), tls, "To on-prem", true, false);
            return delivery.deliver(route, m, RemoteFixture.rcpts(m, "b@tenant.test")).getFirst();
        } finally {
            delivery.close();
        }
    }

    @Test
    void aDeliveryToAServiceThatIsNoSmtpServerDoesNotCarryItsBanner() throws Exception {
        int port = peer(SSH_BANNER);

        Outcome o = delivered(port, TlsPolicy.OPPORTUNISTIC);

        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.detail()).isEqualTo("[127.0.0.1]:" + port + ": greeting: the service did not answer as an SMTP server");
        assertThat(o.reply() + o.detail()).doesNotContain("SSH").doesNotContain("Debian");
    }

    @Test
    void aDeliveryWhoseStartTlsFailedDoesNotCarryWhatThePeerSent() throws Exception {
        int banner = peer("220 peer.test", verb -> switch (verb) {
            case "EHLO" -> OFFERS_STARTTLS;
            case "STARTTLS" -> SSH_BANNER + "\r\n";
            default -> null;
        });
        Outcome o = delivered(banner, new TlsPolicy.EncryptionOnly());
        assertThat(o.detail()).endsWith("did not answer STARTTLS as an SMTP server");
        assertThat(o.reply() + o.detail()).doesNotContain("SSH");
        server.close();

        int refusal = peer("220 peer.test", verb -> switch (verb) {
            case "EHLO" -> OFFERS_STARTTLS;
            case "STARTTLS" -> "454 \u001b[2J-ERR secret\u00e9\r\n";
            default -> null;
        });
        o = delivered(refusal, new TlsPolicy.EncryptionOnly());
        assertThat(o.reply() + o.detail()).contains("refused STARTTLS: 454 (its text is not shown").doesNotContain("secret");
    }

    /** The reply an outcome keeps (the recipient's last reply, the trace, a notice's Diagnostic-Code) hides such text too. */
    @Test
    void aRefusalBeforeTheTransactionWhoseTextIsNotPlainIsKeptByItsCodesOnly() throws Exception {
        int greeting = peer("554 \u001b[2J-ERR secret\u00e9");
        Outcome o = delivered(greeting, TlsPolicy.OPPORTUNISTIC);
        assertThat(o.reply()).isEqualTo("554 5.0.0 (reply text not shown: not plain SMTP text)");
        assertThat(o.reply() + o.detail()).doesNotContain("secret").doesNotContain("\u001b");
        server.close();

        int ehlo = peer("220 peer.test", verb -> verb.equals("EHLO") ? "421 4.7.0 \u001b[31m-ERR secret\r\n" : null);
        o = delivered(ehlo, TlsPolicy.OPPORTUNISTIC);
        assertThat(o.reply()).isEqualTo("421 4.7.0 (reply text not shown: not plain SMTP text)");
        assertThat(o.reply() + o.detail()).doesNotContain("secret");
        server.close();

        int plain = peer("554 5.7.1 no mail from you");
        assertThat(delivered(plain, TlsPolicy.OPPORTUNISTIC).reply()).isEqualTo("554 5.7.1 no mail from you");
    }

    /** A failure of ours (here reading the queued message) defers with a reference; its text is for the operator's log. */
    @Test
    void anInternalErrorDefersWithAReferenceInsteadOfItsText() throws Exception {
        int port = peer("220 peer.test");
        var delivery = new SmtpRemoteDelivery(null, RemoteFixture.options(25));
        try {
            QueuedMessage m = RemoteFixture.message("alice@tenant.test", "x\r\n");
            var route = new Route.ToSmartHost(List.of(HostPort.parse("127.0.0.1:" + port)), TlsPolicy.OPPORTUNISTIC, "To on-prem", true, false);
            Outcome o = delivery.deliver(route, () -> {
                throw new IllegalStateException("cannot read /var/spool/sluice/q/1f0c");
            }, RemoteFixture.rcpts(m, "b@tenant.test"), Admission.AT_ONCE).getFirst();

            assertThat(o.reply()).isEqualTo("451 4.3.0 Internal error during delivery; will retry");
            assertThat(o.detail()).matches("internal error \\(reference [0-9a-f]{8}\\)");
        } finally {
            delivery.close();
        }
    }
}
