package sluice.imap;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A response written to a sink is never held whole: literals go straight through, text in bounded chunks. */
class ResponseBuilderTest {

    @Test
    void longTextGoesToTheSinkInChunksBeforeTheResponseEnds() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        ResponseBuilder r = new ResponseBuilder(sink);
        for (int i = 0; i < 10_000; i++) {
            r.text("(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 0 0)");
            assertThat(r.size()).isLessThan(ResponseBuilder.CHUNK);
        }
        assertThat(sink.size()).isGreaterThan(10_000 * 39 - ResponseBuilder.CHUNK);
        r.text("\r\n").flush();
        assertThat(sink.size()).isEqualTo(10_000 * 39 + 2);
        assertThat(r.size()).isZero();
    }
}
