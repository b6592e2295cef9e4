package sluice.core.filter.spoof.dmarc;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** DMARC records written to cost the parser work are parsed in linear time. */
class DmarcHostileRecordTest {

    @Test
    void manySpacesInRuaAreParsedInLinearTime() {
        String record = "v=DMARC1; p=reject; rua=mailto:a@example.org" + " ".repeat(40_000) + "x";
        // generous: parsing takes milliseconds; the backtracking split took ten seconds
        DmarcRecord r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> DmarcRecord.parse(record));
        assertThat(r.rua()).hasSize(1);
        assertThat(r.policy()).isEqualTo(Disposition.REJECT);
    }

    @Test
    void ruaAddressesAreSplitAtCommasAndStripped() {
        assertThat(DmarcRecord.parse("v=DMARC1; p=none; rua=mailto:a@example.org , mailto:b@example.org,mailto:c@example.org").rua())
                .isEqualTo(List.of("mailto:a@example.org", "mailto:b@example.org", "mailto:c@example.org"));
    }
}
