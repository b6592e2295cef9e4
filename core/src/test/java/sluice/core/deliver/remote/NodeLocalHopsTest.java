package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.dns.DnsStub;
import sluice.core.mail.HostPort;
import sluice.core.mail.QueuedMessage;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;
import sluice.smtp.testing.SmtpSink;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.WAIT;
import static sluice.core.deliver.remote.RemoteFixture.delivered;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/**
 * A connector whose next hops an organization administrator set never delivers to the node itself,
 * whether the hop is written as a loopback address or as a name that resolves to one; the node's own
 * routes and a global administrator's connectors may (a content filter on loopback).
 */
class NodeLocalHopsTest {

    private DnsStub dns;
    private SmtpSink local;
    private SmtpRemoteDelivery delivery;

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
        local = SmtpSink.on("127.0.0.61").start();
        dns.a("mail.tenant.test", "127.0.0.61");
        delivery = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(local.port()));
    }

    @AfterEach
    void stop() {
        delivery.close();
        local.close();
        dns.close();
    }

    private Outcome send(String hop, boolean localAllowed) {
        QueuedMessage m = message("alice@tenant.test", "x\r\n");
        var route = new Route.ToSmartHost(List.of(HostPort.parse(hop)), TlsPolicy.OPPORTUNISTIC, "To on-prem", localAllowed, false);
        return delivery.deliver(route, m, rcpts(m, "b@tenant.test")).getFirst();
    }

    @Test
    void aTenantsNameThatResolvesToLoopbackDefersWithoutConnecting() {
        Outcome o = send("mail.tenant.test:" + local.port(), false);
        assertThat(o).isEqualTo(new Outcome.Deferred("451 4.4.0 Smart hosts of connector To on-prem lead to this node itself; will retry",
                "mail.tenant.test resolves to an address of this node; only a global administrator's connector may deliver there"));
        assertThat(local.connections()).isZero();
    }

    @Test
    void aTenantsLoopbackLiteralDefersToo() {
        // The API refuses these from an organization administrator; one stored before that check must not slip through.
        Outcome o = send("127.0.0.61:" + local.port(), false);
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(((Outcome.Deferred) o).detail()).isEqualTo(
                "127.0.0.61 is an address of this node; only a global administrator's connector may deliver there");
        assertThat(local.connections()).isZero();
    }

    @Test
    void onlyTheNodesOwnAddressesAreLeftOut() {
        dns.a("mixed.tenant.test", "127.0.0.61", "192.0.2.25");
        var targets = new Targets(RemoteFixture.resolver(dns), RemoteFixture.options(25));
        var r = targets.forSmartHosts(List.of(HostPort.parse("mixed.tenant.test"), HostPort.parse("[::1]:2525")), "C", false);
        assertThat(r).isInstanceOf(Targets.Hosts.class);
        assertThat(((Targets.Hosts) r).targets()).extracting(Target::display).containsExactly("mixed.tenant.test[192.0.2.25]:25");
    }

    @Test
    void theNodesOwnRoutesAndAGlobalAdministratorsConnectorsMayDeliverToLoopback() throws Exception {
        Outcome.Delivered d = delivered(send("mail.tenant.test:" + local.port(), true));
        assertThat(d.remoteHost()).isEqualTo("mail.tenant.test[127.0.0.61]:" + local.port());
        assertThat(local.awaitMessages(1, WAIT)).hasSize(1);
    }

    @Test
    void mxHostsThatAreTheNodeItselfLoopBack() {
        dns.mx("loop.test", 10, "mail.tenant.test").mx("loop.test", 20, "mx.loop.test").a("mx.loop.test", "169.254.169.254");
        try (var production = new SmtpRemoteDelivery(RemoteFixture.resolver(dns),
                RemoteFixture.options(local.port()).withMxMayBeThisNode(false))) {
            QueuedMessage m = message("alice@tenant.test", "x\r\n");
            Outcome o = production.deliver(new Route.ToMx(sluice.core.mail.Domain.of("loop.test"), TlsPolicy.OPPORTUNISTIC), m,
                    rcpts(m, "b@loop.test")).getFirst();
            assertThat(o).isEqualTo(new Outcome.Bounced("554 5.4.6 Mail for loop.test loops back to this node",
                    "mail.tenant.test is an address of this node; mx.loop.test is an address of this node"));
            assertThat(local.connections()).isZero();
        }
    }

    @Test
    void interfacesThatCannotBeListedDeferTenantsButNeverBounceMx() {
        NodeAddresses unknown = NodeAddresses.unlisted();
        assertThat(unknown.isThisNode(InetAddress.ofLiteral("192.0.2.25"))).as("fail closed for connectors").isTrue();
        assertThat(unknown.isSurelyThisNode(InetAddress.ofLiteral("192.0.2.25"))).as("an MX is not bounced on a guess").isFalse();
        assertThat(unknown.isSurelyThisNode(InetAddress.ofLiteral("127.0.0.1"))).isTrue();
        var targets = new Targets(RemoteFixture.resolver(dns), RemoteFixture.options(25).withThisNode(unknown).withMxMayBeThisNode(false));
        dns.mx("far.test", 10, "mx.far.test").a("mx.far.test", "192.0.2.25");
        assertThat(targets.forMx(sluice.core.mail.Domain.of("far.test"))).isInstanceOf(Targets.Hosts.class);
        assertThat(targets.forSmartHosts(List.of(HostPort.parse("mx.far.test")), "C", false)).isInstanceOf(Targets.Fail.class);
    }

    @Test
    void whenThisNodeIsAnMxHostItAndEveryLessPreferredHostAreDropped() {
        // RFC 5321 section 5.1: a backup MX would only send the mail back here
        var node = NodeAddresses.withInterfaces(List.of(InetAddress.ofLiteral("192.0.2.25")));
        var targets = new Targets(RemoteFixture.resolver(dns), RemoteFixture.options(25).withThisNode(node).withMxMayBeThisNode(false));
        dns.a("mx1.backup.test", "192.0.2.10").a("us.backup.test", "192.0.2.25").a("mx3.backup.test", "192.0.2.30");
        dns.mx("primary-elsewhere.test", 10, "mx1.backup.test").mx("primary-elsewhere.test", 20, "us.backup.test")
                .mx("primary-elsewhere.test", 30, "mx3.backup.test");
        dns.mx("primary-here.test", 10, "us.backup.test").mx("primary-here.test", 20, "mx3.backup.test");

        var elsewhere = targets.forMx(sluice.core.mail.Domain.of("primary-elsewhere.test"));
        assertThat(((Targets.Hosts) elsewhere).targets()).extracting(Target::display).containsExactly("mx1.backup.test[192.0.2.10]:25");
        assertThat(targets.forMx(sluice.core.mail.Domain.of("primary-here.test"))).isEqualTo(new Targets.Fail(new Outcome.Bounced(
                "554 5.4.6 Mail for primary-here.test loops back to this node", "us.backup.test is an address of this node")));
    }

    @Test
    void theAddressesANodeBehindNatIsReachedAtAreItsOwn() {
        // Postfix's proxy_interfaces: no interface has the public address, yet an MX naming it loops back
        var node = NodeAddresses.withInterfaces(List.of(InetAddress.ofLiteral("10.0.0.5")))
                .alsoReachedAt(List.of(InetAddress.ofLiteral("203.0.113.25")));
        assertThat(node.isSurelyThisNode(InetAddress.ofLiteral("203.0.113.25"))).isTrue();
        assertThat(node.isThisNode(InetAddress.ofLiteral("203.0.113.26"))).isFalse();
        assertThat(node.overlapping(sluice.core.connector.IpRange.parse("203.0.113.16/28"))).contains("an address this node is reached at");
        assertThat(node.overlapping(sluice.core.connector.IpRange.parse("203.0.113.128/28"))).isEmpty();

        dns.mx("nat.test", 10, "mx.nat.test").a("mx.nat.test", "203.0.113.25");
        var targets = new Targets(RemoteFixture.resolver(dns), RemoteFixture.options(25).withThisNode(node).withMxMayBeThisNode(false));
        assertThat(targets.forMx(sluice.core.mail.Domain.of("nat.test"))).isEqualTo(new Targets.Fail(new Outcome.Bounced(
                "554 5.4.6 Mail for nat.test loops back to this node", "mx.nat.test is an address of this node")));
        assertThat(targets.forSmartHosts(List.of(HostPort.parse("mx.nat.test")), "C", false)).isInstanceOf(Targets.Fail.class);
        var without = new Targets(RemoteFixture.resolver(dns), RemoteFixture.options(25)
                .withThisNode(NodeAddresses.withInterfaces(List.of(InetAddress.ofLiteral("10.0.0.5")))).withMxMayBeThisNode(false));
        assertThat(without.forMx(sluice.core.mail.Domain.of("nat.test"))).isInstanceOf(Targets.Hosts.class);
    }

    @Test
    void whatCountsAsTheNodeItself() throws Exception {
        NodeAddresses node = NodeAddresses.withInterfaces(List.of(InetAddress.ofLiteral("10.9.8.7"), InetAddress.ofLiteral("fd00::7")));
        for (String a : List.of("127.0.0.1", "127.8.9.10", "::1", "0.0.0.0", "0.1.2.3", "::", "169.254.169.254", "fe80::1",
                "224.0.0.1", "ff02::1", "::ffff:127.0.0.1", "10.9.8.7", "fd00::7", "fd00:ec2::254", "100.100.100.200"))
            assertThat(node.isThisNode(InetAddress.ofLiteral(a))).as(a).isTrue();
        for (String a : List.of("10.0.0.25", "192.168.1.25", "172.16.0.25", "192.0.2.25", "2001:db8::25", "fd00::25",
                "fd00:ec2::253", "100.100.100.100"))
            assertThat(node.isThisNode(InetAddress.ofLiteral(a))).as(a).isFalse();
        // the real machine: every address of its own interfaces, whatever network it is in
        NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .forEach(a -> assertThat(NodeAddresses.system().isThisNode(a)).as(a.toString()).isTrue());
    }
}
