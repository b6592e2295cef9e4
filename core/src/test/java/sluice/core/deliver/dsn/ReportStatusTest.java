package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a recipient's block in the delivery-status part says, as RFC 3464 and RFC 3463 want it. */
class ReportStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final DsnBuilder DSN = new DsnBuilder("mx.sluice.test", ZoneOffset.UTC);

    static String report(DsnBuilder.Entry entry) {
        QueuedMessage m = new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW, "ann@contoso.example", "org-a",
                null, null, "192.0.2.7", "client.contoso.example", "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8),
                QueuedMessage.Origin.INTERNET, false, null, false);
        return new String(DSN.build(m, List.of(entry), entry.action(), NOW, NOW.plusSeconds(86400)), StandardCharsets.UTF_8);
    }

    @Test
    void aDelayedRecipientWithAPermanentReplyFromOneHostHasATransientStatus() {
        String report = report(new DsnBuilder.Entry("carol@remote.example", null, DsnBuilder.Action.DELAYED,
                "554 5.7.1 Go away", null, "one host refused, another was busy", NOW));
        assertThat(report).contains("Action: delayed\r\nStatus: 4.7.1\r\n").contains("Diagnostic-Code: smtp; 554 5.7.1 Go away");
    }

    @Test
    void controlsInAServersReplyReachNeitherTheStatusPartNorTheText() {
        String report = report(new DsnBuilder.Entry("carol@remote.example", null, DsnBuilder.Action.FAILED,
                "550 5.1.1 No\u0000such\u001b[31muser\u007f\there", "mx.remote.example", null, NOW));
        assertThat(report).contains("Diagnostic-Code: smtp; 550 5.1.1 No?such?[31muser?\there\r\n")
                .contains("said: 550 5.1.1 No?such?[31muser?\there")
                .doesNotContain("\u0000").doesNotContain("\u001b").doesNotContain("\u007f");
    }

    @Test
    void aGivenStatusWinsAndNoLastAttemptMeansNoLastAttemptDate() {
        String report = report(new DsnBuilder.Entry("carol@remote.example", null, DsnBuilder.Action.FAILED, null, null,
                "no delivery attempt could be made", null, "5.4.7"));
        assertThat(report).contains("Action: failed\r\nStatus: 5.4.7\r\n").doesNotContain("Last-Attempt-Date");
    }
}
