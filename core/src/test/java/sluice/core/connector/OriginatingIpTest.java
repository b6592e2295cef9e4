package sluice.core.connector;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OriginatingIpTest {

    private static final byte[] CHAIN = ("Received: from relay.partner.example (relay.partner.example [198.51.100.7])\r\n"
            + "\tby filter.example (Postfix) with ESMTPS id 1; Sat, 28 Nov 2026 10:00:02 +0000\r\n"
            + "Received: from [IPv6:2001:db8::25] (unknown [IPv6:2001:db8::25])\r\n"
            + "\tby relay.partner.example with ESMTP id 2 (from [10.9.9.9]); Sat, 28 Nov 2026 10:00:01 +0000\r\n"
            + "Received: from laptop (helo-claims [203.0.113.50])\r\n\tby mail.sender.example; Sat, 28 Nov 2026 10:00:00 +0000\r\n"
            + "Subject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);

    private static InboundConnector connector(List<String> skip, boolean skipLast) {
        return new InboundConnector("c", "o", "via filter", ConnectorType.PARTNER, true, null,
                List.of(IpRange.parse("192.0.2.0/24")), null, List.of(), false, false, false, false,
                skip.stream().map(IpRange::parse).toList(), skipLast);
    }

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void withoutEnhancedFilteringTheConnectingIpIsTheOrigin() throws Exception {
        assertThat(OriginatingIp.recover(ip("192.0.2.1"), CHAIN, connector(List.of(), false))).isEqualTo(ip("192.0.2.1"));
        assertThat(OriginatingIp.recover(ip("192.0.2.1"), CHAIN, null)).isEqualTo(ip("192.0.2.1"));
    }

    @Test
    void skipLastIpTakesTheHopBeforeTheFilterInFrontOfUs() throws Exception {
        assertThat(OriginatingIp.recover(ip("192.0.2.1"), CHAIN, connector(List.of(), true))).isEqualTo(ip("198.51.100.7"));
    }

    @Test
    void skipIpsWalksBackPastEveryListedHopIncludingIpv6() throws Exception {
        var c = connector(List.of("192.0.2.0/24", "198.51.100.0/24", "2001:db8::/32"), false);
        assertThat(OriginatingIp.recover(ip("192.0.2.1"), CHAIN, c)).isEqualTo(ip("203.0.113.50"));
    }

    @Test
    void onlyTheFromClauseCountsNotAddressesAfterBy() {
        assertThat(OriginatingIp.fromClauseIp("from x (y [10.0.0.1]) by z ([192.0.2.9])")).hasToString("/10.0.0.1");
        assertThat(OriginatingIp.fromClauseIp("by z ([192.0.2.9])")).isNull();
        assertThat(OriginatingIp.fromClauseIp("from x (y [not.an.ip]) by z")).isNull();
    }

    @Test
    void whenEveryHopIsSkippedTheOldestIsTheBestGuess() throws Exception {
        var c = connector(List.of("0.0.0.0/0", "::/0"), true);
        assertThat(OriginatingIp.recover(ip("192.0.2.1"), CHAIN, c)).isEqualTo(ip("203.0.113.50"));
    }

    @Test
    void theAddressIsTheOneTheServerWroteNotTheHeloTheClientChose() {
        assertThat(OriginatingIp.fromClauseIp("from [8.8.8.8] (unknown [203.0.113.5])\r\n\tby filter.example (Postfix)"))
                .hasToString("/203.0.113.5");
        assertThat(OriginatingIp.fromClauseIp("from [8.8.8.8] by filter.example")).as("no TCP-info: nothing the server vouched for").isNull();
        assertThat(OriginatingIp.fromClauseIp("from attacker-helo (203.0.113.5) by EXCH01.contoso.local (10.0.0.2)"))
                .as("Exchange writes the address bare").hasToString("/203.0.113.5");
        assertThat(OriginatingIp.fromClauseIp("from mail.example (mail.example [192.0.2.7] (may be forged)) by x"))
                .hasToString("/192.0.2.7");
        assertThat(OriginatingIp.fromClauseIp("from [198.51.100.9] (helo=client.example) by exim.example with esmtp"))
                .as("Exim's form for a host without a reverse name").hasToString("/198.51.100.9");
        assertThat(OriginatingIp.fromClauseIp("from x (helo=[8.8.8.8]) by y")).isNull();
        assertThat(OriginatingIp.fromClauseIp("from [198.51.100.9] (helo=[8.8.8.8]) by exim.example")).hasToString("/198.51.100.9");
        assertThat(OriginatingIp.fromClauseIp("from host.example ([198.51.100.9] helo=[8.8.8.8]) by exim.example")).hasToString("/198.51.100.9");
    }

    @Test
    void aSkippedHopThatNamesNoAddressEndsTheWalk() throws Exception {
        byte[] forged = ("Received: from attacker-helo (client.example) by filter.example; Sat, 28 Nov 2026 10:00:02 +0000\r\n"
                + "Received: from whatever ([8.8.4.4]) by made.up; Sat, 28 Nov 2026 10:00:01 +0000\r\n"
                + "Subject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(OriginatingIp.recover(ip("192.0.2.1"), forged, connector(List.of(), true)))
                .as("the field the sender wrote is not read").isEqualTo(ip("192.0.2.1"));
    }
}
