package sluice.core.receive;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.Headers;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message whose header breaks off without a blank line: the firewall strips our fields from the
 * header it has and leaves the rest as it came, because every Sluice reader takes the rest as body:
 * a field-like line there is text, not a field anyone acts on.
 */
class HeaderFirewallOnBrokenHeaderTest {

    @Test
    void ourFieldsGoFromTheHeaderAndAHugeBodyStaysAsItCame() {
        String body = "no colon on this line\r\n" + "X-Sluice-Folder: Inbox\r\n".repeat(420_000); // about 10 MB
        String message = "X-Sluice-Folder: Junk\r\nSubject: hi\r\n" + body;

        byte[] out = HeaderFirewall.strip(message.getBytes(StandardCharsets.ISO_8859_1), "mx.test");

        assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("Subject: hi\r\n" + body);
        assertThat(Headers.first(out, MailboxDelivery.FOLDER_HEADER)).as("what the mailbox delivery reads").isNull();
    }
}
