package sluice.core.filter.dkim;

import org.junit.jupiter.api.Test;
import sluice.core.filter.spoof.MapDns;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8463 appendix A: the same message signed with ed25519-sha256 and rsa-sha256 (A.2 keys, A.3 message). */
class Rfc8463ExampleTest {

    static final String ED25519_RECORD = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    static final String RSA_RECORD = "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR"
            + "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC"
            + "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3"
            + "Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

    static final String MESSAGE = String.join("\r\n",
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=brisbane; t=1528637909; h=from : to :",
            " subject : date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus",
            " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=test; t=1528637909; h=from : to : subject :",
            " date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3",
            " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz",
            " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=",
            "From: Joe SixPack <joe@football.example.com>",
            "To: Suzie Q <suzie@shopping.example.net>",
            "Subject: Is dinner ready?",
            "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
            "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
            "",
            "Hi.",
            "",
            "We lost the game.  Are you hungry yet?",
            "",
            "Joe.",
            "");

    static MapDns dns() {
        return new MapDns().txt("brisbane._domainkey.football.example.com", ED25519_RECORD)
                .txt("test._domainkey.football.example.com", RSA_RECORD);
    }

    private final DkimVerifier verifier = new DkimVerifier(dns(), InstantSource.fixed(Instant.ofEpochSecond(1_528_700_000L)));

    @Test
    void bothSignaturesOfTheRfcExampleVerify() {
        List<DkimResult> results = verifier.verify(MESSAGE.getBytes(StandardCharsets.US_ASCII));
        assertThat(results).extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS, DkimResult.Code.PASS);
        assertThat(results).extracting(DkimResult::algorithm).containsExactly("ed25519-sha256", "rsa-sha256");
        assertThat(results).extracting(DkimResult::selector).containsExactly("brisbane", "test");
        assertThat(results.getFirst().domain()).isEqualTo("football.example.com");
        assertThat(results.getFirst().headerB()).isEqualTo("/gCrinpc");
        assertThat(results.getFirst().risks()).isEmpty();
    }

    @Test
    void theExampleStillVerifiesWithUnixLineEnds() {
        assertThat(verifier.verify(MESSAGE.replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII)))
                .extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS, DkimResult.Code.PASS);
    }

    @Test
    void aChangedBodyFailsBothWithTheBodyHashReason() {
        List<DkimResult> results = verifier.verify(MESSAGE.replace("hungry", "thirsty").getBytes(StandardCharsets.US_ASCII));
        assertThat(results).extracting(DkimResult::code).containsExactly(DkimResult.Code.FAIL, DkimResult.Code.FAIL);
        assertThat(results.getFirst().reason()).isEqualTo("body hash mismatch: the body was changed");
    }

    @Test
    void aChangedSubjectFailsTheSignatureItself() {
        List<DkimResult> results = verifier.verify(MESSAGE.replace("dinner ready", "lunch ready").getBytes(StandardCharsets.US_ASCII));
        assertThat(results).extracting(DkimResult::code).containsExactly(DkimResult.Code.FAIL, DkimResult.Code.FAIL);
        assertThat(results.get(1).reason()).startsWith("signature did not verify");
    }

    @Test
    void relaxedCanonicalizationToleratesReFoldedHeaders() {
        String refolded = MESSAGE.replace("Subject: Is dinner ready?", "Subject:   Is dinner\r\n\tready?  ");
        assertThat(verifier.verify(refolded.getBytes(StandardCharsets.US_ASCII)))
                .extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS, DkimResult.Code.PASS);
    }
}
