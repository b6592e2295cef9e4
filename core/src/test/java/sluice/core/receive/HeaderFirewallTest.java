package sluice.core.receive;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What an untrusted sender cannot bring in: our X-Sluice-* fields, or an Authentication-Results field in our name. */
class HeaderFirewallTest {

    private static String strip(String message) {
        return new String(HeaderFirewall.strip(message.getBytes(StandardCharsets.ISO_8859_1), "mx.test"), StandardCharsets.ISO_8859_1);
    }

    @Test
    void anAuthenticationResultsFieldInOurNameGoesHoweverItIsWritten() {
        for (String forged : List.of(
                "Authentication-Results: mx.test; spf=pass",
                "Authentication-Results:\tmx.test; spf=pass",
                "Authentication-Results:  MX.TEST; spf=pass",
                "Authentication-Results: mx.test 1; spf=pass",
                "Authentication-Results: (ours) mx.test (really); spf=pass",
                "Authentication-Results:\r\n mx.test;\r\n\tspf=pass",
                "Authentication-Results : mx.test; spf=pass",
                "authentication-results: \"mx.test\"; spf=pass")) {
            String out = strip("Subject: hi\r\n" + forged + "\r\nTo: a@b.example\r\n\r\nbody\r\n");
            assertThat(out).as(forged).isEqualTo("Subject: hi\r\nTo: a@b.example\r\n\r\nbody\r\n");
        }
    }

    @Test
    void othersAuthenticationResultsAndOrdinaryFieldsStay() {
        String message = "Authentication-Results: mx.other.example; spf=pass\r\n"
                + "Authentication-Results: mx.test.example; dkim=pass\r\n"
                + "X-Sluice-Antispam-Report: SCL:-1\r\n\tcontinued\r\n"
                + "Subject: mx.test\r\n\r\nAuthentication-Results: mx.test; in the body\r\n";
        assertThat(strip(message)).isEqualTo("Authentication-Results: mx.other.example; spf=pass\r\n"
                + "Authentication-Results: mx.test.example; dkim=pass\r\n"
                + "Subject: mx.test\r\n\r\nAuthentication-Results: mx.test; in the body\r\n");
    }
}
