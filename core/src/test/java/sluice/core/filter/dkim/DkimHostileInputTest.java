package sluice.core.filter.dkim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Signature fields written to cost the verifier work or to break its parser give a result, not an Error. */
class DkimHostileInputTest {

    @Test
    void moreThanAHundredSignedFieldNamesIsPermerror() throws Exception {
        List<String> h = new ArrayList<>(List.of("from"));
        h.addAll(Collections.nCopies(101, "x-a"));
        DkimResult r = DkimUnsignedContentTest.verify(DkimUnsignedContentTest.signedWith(h, DkimUnsignedContentTest.PLAIN));
        assertThat(r).extracting(DkimResult::code, DkimResult::reason).containsExactly(DkimResult.Code.PERMERROR,
                "malformed signature: h= names 102 header fields; at most 100 are accepted");
        assertThat(DkimUnsignedContentTest.verify(DkimUnsignedContentTest.signedWith(h.subList(0, 100), DkimUnsignedContentTest.PLAIN)).code())
                .isEqualTo(DkimResult.Code.PASS);
    }

    @Test
    void aSelectorOfThousandsOfLabelsIsPermerrorNotAStackOverflow() {
        String field = "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=" + "a.".repeat(40_000) + "a; h=from; bh=AAAA; b=AAAA\r\n";
        DkimResult r = DkimUnsignedContentTest.verify(field + DkimUnsignedContentTest.PLAIN);
        assertThat(r.code()).isEqualTo(DkimResult.Code.PERMERROR);
    }

    @Test
    void selectorsFollowTheGrammar() {
        for (String ok : new String[]{"s1", "2024-01._x", "a.b.c"}) assertThat(DkimSignature.isSelector(ok)).as(ok).isTrue();
        for (String bad : new String[]{"", ".a", "a.", "a..b", "a b", "a/b", "é"}) assertThat(DkimSignature.isSelector(bad)).as(bad).isFalse();
    }
}
