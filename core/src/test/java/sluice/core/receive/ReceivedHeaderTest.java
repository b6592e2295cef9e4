package sluice.core.receive;

import org.junit.jupiter.api.Test;
import sluice.smtp.ConnectionInfo;
import sluice.smtp.MailFrom;
import sluice.smtp.TlsInfo;
import sluice.smtp.Transaction;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The "with" keyword of our Received field: RFC 3848's, or RFC 6531's when the client asked for SMTPUTF8. */
class ReceivedHeaderTest {

    private static Transaction tx(boolean esmtp, boolean tls, boolean auth, boolean smtpUtf8) {
        ConnectionInfo c = new ConnectionInfo("s1", new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 25), Instant.EPOCH, false);
        return new Transaction(c, "client.test", esmtp, tls ? new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", List.of()) : null,
                auth ? "alice@contoso.example" : null, new MailFrom("a@b.test", -1, MailFrom.Body.SEVEN_BIT, smtpUtf8, null, null),
                List.of(), new byte[0], 0);
    }

    @Test
    void withoutSmtpUtf8TheRfc3848Keywords() {
        assertThat(ReceivedHeader.protocol(tx(false, false, false, false))).isEqualTo("SMTP");
        assertThat(ReceivedHeader.protocol(tx(true, false, false, false))).isEqualTo("ESMTP");
        assertThat(ReceivedHeader.protocol(tx(true, true, false, false))).isEqualTo("ESMTPS");
        assertThat(ReceivedHeader.protocol(tx(true, false, true, false))).isEqualTo("ESMTPA");
        assertThat(ReceivedHeader.protocol(tx(true, true, true, false))).isEqualTo("ESMTPSA");
    }

    @Test
    void aTransactionWithSmtpUtf8HasTheRfc6531Keywords() {
        assertThat(ReceivedHeader.protocol(tx(true, false, false, true))).isEqualTo("UTF8SMTP");
        assertThat(ReceivedHeader.protocol(tx(true, true, false, true))).isEqualTo("UTF8SMTPS");
        assertThat(ReceivedHeader.protocol(tx(true, false, true, true))).isEqualTo("UTF8SMTPA");
        assertThat(ReceivedHeader.protocol(tx(true, true, true, true))).isEqualTo("UTF8SMTPSA");
    }
}
