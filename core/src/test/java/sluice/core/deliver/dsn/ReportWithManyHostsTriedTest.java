package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message that expired after every MX host of its domain failed: the cause names each host, and the
 * last reply ran over many lines. The report must still be mail our own receiver takes (RFC 5322
 * section 2.1.1: no line over 998 octets), with each host on a line of its own for the reader and
 * the Diagnostic-Code folded, not cut off at the first fold.
 */
class ReportWithManyHostsTriedTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void everyLineStaysWithinTheLimitAndEachHostHasItsOwnLine() {
        List<String> failures = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            for (String ip : List.of("192.0.2." + i, "2001:db8::" + i)) {
                failures.add("mx" + i + ".remote.example[" + ip + "]:25: connect: cannot connect to mx" + i
                        + ".remote.example/" + ip + ":25: Connect timed out");
            }
        }
        String why = "The message could not be delivered within 24 hours; the last attempt failed: " + String.join("; ", failures);
        String reply = "451 4.7.1 " + "Service unavailable, your address is listed, see the list's site. ".repeat(20)
                + "token=" + "x".repeat(1200);
        QueuedMessage m = new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW, "ann@contoso.example", "org-a",
                null, null, "192.0.2.7", "client.contoso.example", "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8),
                QueuedMessage.Origin.INTERNET, false, null, false);
        DsnBuilder.Entry entry = new DsnBuilder.Entry("carol@remote.example", null, DsnBuilder.Action.FAILED, reply, null, why, NOW);

        String report = new String(new DsnBuilder("mx.sluice.test", ZoneOffset.UTC).build(m, List.of(entry),
                DsnBuilder.Action.FAILED, NOW, NOW), StandardCharsets.UTF_8);

        List<String> lines = Arrays.asList(report.split("\r\n", -1));
        assertThat(lines).allSatisfy(l -> assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(998));
        for (String failure : failures.subList(1, failures.size())) {
            String host = failure.substring(0, failure.indexOf(" connect:")); // "mx2.remote.example[192.0.2.2]:25:"
            assertThat(lines).as(host).anySatisfy(l -> assertThat(l).startsWith("      " + host + " connect:"));
        }
        String unfolded = report.replace("\r\n ", " ");
        assertThat(unfolded).contains("Diagnostic-Code: smtp; 451 4.7.1 Service unavailable, your address is listed");
        assertThat(unfolded.lines().filter(l -> l.startsWith("Diagnostic-Code:")).findFirst().orElseThrow())
                .as("cut, not carried whole").hasSizeLessThan(1100);
    }

    @Test
    void aLongReplyOfCharactersOutsideTheBmpIsNeverCutInsideOne() {
        // an emoji is two UTF-16 units: cutting between them left half a character, written as '?'
        String reply = "550 5.7.1 " + "\uD83D\uDE00".repeat(700) + " x" + "\uD83D\uDE00".repeat(150);
        QueuedMessage m = new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW, "ann@contoso.example", "org-a",
                null, null, "192.0.2.7", "client.contoso.example", "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.UTF_8),
                QueuedMessage.Origin.INTERNET, false, null, false);
        DsnBuilder.Entry entry = new DsnBuilder.Entry("carol@remote.example", null, DsnBuilder.Action.FAILED, reply, null, reply, NOW);

        String report = new String(new DsnBuilder("mx.sluice.test", ZoneOffset.UTC).build(m, List.of(entry),
                DsnBuilder.Action.FAILED, NOW, NOW), StandardCharsets.UTF_8);

        assertThat(report).doesNotContain("?").contains("\uD83D\uDE00");
        assertThat(Arrays.asList(report.split("\r\n", -1)))
                .allSatisfy(l -> assertThat(l.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(998));
    }
}
