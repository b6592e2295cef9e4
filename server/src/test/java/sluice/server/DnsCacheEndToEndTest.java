package sluice.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.dns.DnsStub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A node's mail flow keeps DNS answers: a sender domain's SPF and DMARC records are asked once, not per message. */
class DnsCacheEndToEndTest {

    @Test
    void aSecondMessageFromTheSameSenderDomainSendsNoDnsQuery(@TempDir Path dataDir) throws Exception {
        try (DnsStub dns = DnsStub.start("127.0.0.1")) {
            dns.ttl(3600).txt("friend.example", "v=spf1 ip4:127.0.0.0/8 -all").txt("_dmarc.friend.example", "v=DMARC1; p=reject")
                    .soa("example", 3600, 3600).soa("arpa", 3600, 3600).soa("net", 3600, 3600);
            try (Node node = Node.start(TestNodes.config(dataDir, dns.server(), 9, Map.of()))) {
                Admin admin = TestNodes.admin(node);
                String org = admin.createOrganization("Contoso");
                admin.createDomain(org, "contoso.example", "Authoritative");
                admin.createMailbox(org, "alice@contoso.example");

                assertThat(send(node, "first")).startsWith("250");
                int afterFirst = dns.queries();
                assertThat(afterFirst).isPositive();
                assertThat(send(node, "second")).startsWith("250");
                assertThat(dns.queries()).isEqualTo(afterFirst);
            }
        }
    }

    private static String send(Node node, String subject) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("client.example.net");
            return c.send("pat@friend.example", List.of("alice@contoso.example"),
                    ("From: Pat <pat@friend.example>\r\nSubject: " + subject + "\r\n\r\n" + TestNodes.ORDINARY_BODY)
                            .getBytes(StandardCharsets.UTF_8));
        }
    }
}
