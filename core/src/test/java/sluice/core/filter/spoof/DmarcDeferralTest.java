package sluice.core.filter.spoof;

import org.junit.jupiter.api.Test;
import sluice.core.connector.IpRange;
import sluice.core.filter.Inspection;
import sluice.core.filter.Pipeline;
import sluice.core.filter.Verdict;
import sluice.core.filter.connection.ConnectionFilterStage;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;
import sluice.core.testing.MemoryPolicies;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A review found legitimate mail of several authors refused for good (550) when the DMARC look-up of one author's domain
 * failed for a moment: now it waits (451), and is never delivered meanwhile, whatever the IP allow list says.
 */
class DmarcDeferralTest {

    private final MemoryPolicies policies = new MemoryPolicies();
    private final MapDns dns = new MapDns().txt("_dmarc.a.example", "v=DMARC1; p=none").fail("_dmarc.b.example");

    private Verdict inspect(String from) throws Exception {
        byte[] mail = ("From: " + from + "\r\nSubject: minutes\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        Pipeline pipeline = new Pipeline(List.of(new ConnectionFilterStage(policies),
                new SpoofStage(AntiSpoofingTest.spoofing(dns), "mx.test")), policies);
        return pipeline.inspect(new Inspection("org", false, QueuedMessage.Origin.INTERNET, AntiSpoofingTest.GOOD_IP,
                AntiSpoofingTest.GOOD_IP, "mx.a.example", true, "alice@a.example", List.of(Address.parse("c@contoso.example")), mail));
    }

    @Test
    void severalAuthorsOneOfWhoseDomainsCannotBeAskedForNowAreDeferred() throws Exception {
        assertThat(inspect("alice@a.example, bob@b.example")).isInstanceOfSatisfying(Verdict.Defer.class, d -> assertThat(d.reply().toString())
                .isEqualTo("451 4.7.0 Temporary failure checking DMARC for a domain the From shows, try again later"));
        // the IP allow list delivers nothing whose policy may be reject
        policies.connection = new ConnectionFilterPolicy(List.of(IpRange.parse("192.0.2.0/24")), List.of());
        assertThat(inspect("alice@a.example, bob@b.example")).isInstanceOf(Verdict.Defer.class);
    }

    @Test
    void aReadableFromWhoseDomainCannotBeAskedIsDeliveredAsBefore() throws Exception {
        assertThat(inspect("bob@b.example")).isInstanceOfSatisfying(Verdict.Deliver.class,
                d -> assertThat(d.headers().getFirst()).contains("dmarc=temperror"));
    }

    @Test
    void anotherAuthorsRejectNeedsNoWait() throws Exception {
        dns.remove("_dmarc.a.example").txt("_dmarc.a.example", "v=DMARC1; p=reject");
        assertThat(inspect("alice@a.example, bob@b.example")).as("no aligned pass for a.example (no SPF record)")
                .isInstanceOfSatisfying(Verdict.Reject.class, r -> assertThat(r.reply().toString()).startsWith("550 5.7.509"));
    }
}
