package sluice.core.deliver.dsn;

import org.junit.jupiter.api.Test;
import sluice.core.mail.Headers;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a report gives back of the original goes to its sender, who is in general outside the
 * organization: never the organization's own X-Sluice-* fields.
 */
class DsnReturnedPartTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final DsnBuilder DSN = new DsnBuilder("mx.sluice.test", ZoneOffset.UTC);
    private static final String INTERNAL = "X-Sluice-Rules: 6f1c0e3a-rule\r\n"
            + "From: ann@contoso.example\r\n"
            + "x-sluice-folder: Junk\r\n"
            + "X-Sluice-Antispam-Report: CIP:192.0.2.1;SCL:1\r\n"
            + "X-Sluice-Quarantine-Released: by helpdesk.jane@contoso.example at\r\n Sat, 28 Nov 2026 09:00:00 GMT\r\n"
            + "Subject: hello\r\n"
            + "\r\n"
            + "X-Sluice-Rules: in the body stays\r\n";
    private static final String HEADER_OUTSIDE = "From: ann@contoso.example\r\n"
            + "X-Sluice-Antispam-Report: CIP:192.0.2.1;SCL:1\r\n"
            + "Subject: hello\r\n"
            + "\r\n";

    @Test
    void theOrganizationsOwnFieldsAreNeverReturned() {
        for (DsnBuilder.Action kind : List.of(DsnBuilder.Action.FAILED, DsnBuilder.Action.DELAYED, DsnBuilder.Action.DELIVERED)) {
            assertThat(returned(report(null, INTERNAL, kind))).as(kind + ", headers").isEqualTo(HEADER_OUTSIDE);
            assertThat(returned(report("HDRS", INTERNAL, kind))).as(kind + ", RET=HDRS").isEqualTo(HEADER_OUTSIDE);
            assertThat(returned(report("FULL", INTERNAL, kind))).as(kind + ", RET=FULL")
                    .isEqualTo(HEADER_OUTSIDE + "X-Sluice-Rules: in the body stays\r\n");
        }
        assertThat(new String(report("FULL", INTERNAL, DsnBuilder.Action.FAILED), StandardCharsets.UTF_8))
                .doesNotContain("6f1c0e3a-rule", "helpdesk.jane", "Junk");
    }

    @Test
    void aSmallFullMessageIsReturnedWhole() {
        String original = "From: ann@contoso.example\r\nSubject: hi\r\n\r\n" + "body line\r\n".repeat(1000);
        byte[] dsn = report("FULL", original, DsnBuilder.Action.FAILED);
        assertThat(returned(dsn)).isEqualTo(original);
        assertThat(returnedType(dsn)).isEqualTo("message/rfc822");
    }

    static byte[] report(String ret, String content, DsnBuilder.Action kind) {
        QueuedMessage m = new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW, "ann@contoso.example", "org-a",
                ret, null, "192.0.2.7", "client.contoso.example", content.getBytes(StandardCharsets.UTF_8),
                QueuedMessage.Origin.INTERNET, false, null, false);
        var entry = new DsnBuilder.Entry("carol@remote.example", null, kind, kind == DsnBuilder.Action.FAILED
                ? "550 5.1.1 User unknown" : null, "mx.remote.example", null, NOW);
        return DSN.build(m, List.of(entry), kind, NOW, NOW.plusSeconds(86_400));
    }

    /** The content of the third part (the returned message or header). */
    static String returned(byte[] dsn) {
        String text = new String(dsn, StandardCharsets.UTF_8);
        String boundary = boundary(dsn);
        int third = nth(text, "\r\n--" + boundary + "\r\n", 3);
        int start = text.indexOf("\r\n\r\n", third) + 4;
        int end = text.indexOf("\r\n--" + boundary + "--\r\n", start);
        assertThat(end).as("the closing delimiter").isPositive();
        assertThat(text).endsWith("\r\n--" + boundary + "--\r\n");
        return text.substring(start, end);
    }

    static String returnedType(byte[] dsn) {
        String text = new String(dsn, StandardCharsets.UTF_8);
        int third = nth(text, "\r\n--" + boundary(dsn) + "\r\n", 3);
        String head = text.substring(third, text.indexOf("\r\n\r\n", third));
        return head.substring(head.indexOf("Content-Type: ") + "Content-Type: ".length());
    }

    private static String boundary(byte[] dsn) {
        String type = Headers.first(dsn, "Content-Type");
        return type.substring(type.indexOf("boundary=\"") + 10, type.length() - 1);
    }

    private static int nth(String text, String s, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = text.indexOf(s, at + 1);
            assertThat(at).as("part " + (i + 1)).isNotNegative();
        }
        return at;
    }
}
