package sluice.cli.output;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import sluice.cli.testing.FakeApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tag characters (U+E0000 to U+E007F) are invisible format characters beyond the BMP: a sender can hide
 * text in them, in JSON output as on the screen. Yet one use of them is a flag (England is U+1F3F4 and the
 * tags "gbeng" and CANCEL TAG), and Hebrew and Arabic names carry left-to-right and right-to-left marks;
 * those are shown as they are.
 */
class MarksTagsAndFlagsTest {

    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String ENGLAND = new String(Character.toChars(0x1F3F4)) + tags("gbeng") + tag(0xE007F);
    /** "ignore this" spelled in tag characters: shown by no terminal, read by a model or a script. */
    private static final String HIDDEN = "invoice" + tags("ignore this") + ".pdf";

    private static String tag(int cp) {
        return new String(Character.toChars(cp));
    }

    private static String tags(String ascii) {
        StringBuilder b = new StringBuilder();
        ascii.chars().forEach(c -> b.appendCodePoint(0xE0000 + c));
        return b.toString();
    }

    private static FakeApi api(String name) throws Exception {
        ObjectNode org = JsonNodeFactory.instance.objectNode().put("id", ID).put("name", name);
        return new FakeApi().on("GET /organizations/" + ID, org.toString());
    }

    @Test
    void jsonEscapesTagCharactersAsWholeCodePointsAndStillMeansTheSame() throws Exception {
        String name = HIDDEN + " " + ENGLAND;
        try (FakeApi api = api(name)) {
            FakeApi.Run r = api.sluice("organization", "get", ID, "-o", "json");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out().codePoints().filter(cp -> cp >= 0xE0000 && cp <= 0xE007F)).isEmpty();
            assertThat(r.out()).contains("invoice\\uDB40\\uDC69\\uDB40\\uDC67", "\uD83C\uDFF4\\uDB40\\uDC67");
            assertThat(sluice.cli.http.Api.JSON.readTree(r.out()).get("name").asText()).isEqualTo(name);
        }
    }

    @Test
    void onTheScreenAFlagAndBidiMarksStayButHiddenTagsAreShown() throws Exception {
        String name = "\u05e9\u05dc\u05d5\u05dd\u200f (\u200eContoso) " + ENGLAND + " " + HIDDEN
                + " \uD83C\uDFF4" + tags("gb") + " end";
        try (FakeApi api = api(name)) {
            FakeApi.Run r = api.sluice("organization", "get", ID);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("Name : \u05e9\u05dc\u05d5\u05dd\u200f (\u200eContoso) " + ENGLAND
                    + " invoice\\U000e0069\\U000e0067", "\\U000e0073.pdf \uD83C\uDFF4\\U000e0067\\U000e0062 end");
        }
    }
}
