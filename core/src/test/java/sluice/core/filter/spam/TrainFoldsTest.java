package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainFoldsTest {

    private static Corpus.Message hard(String file, String from) {
        String raw = "From: " + from + "\r\nSubject: news\r\n\r\nhello\r\n";
        return new Corpus.Message("hard-ham-1", file, false, raw.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void oneTemplateUnderSeveralNewsletterNamesIsOnePublisher() {
        var messages = List.of(
                hard("00001.a.txt", "CNET News.com <Online#3.1@newsletter.online.com>"),
                hard("00002.b.txt", "ZDNet Tech Update <Online#3.2@newsletter.online.com>"),
                hard("00003.c.txt", "\"CNET Shopper\" <Online#3.3@other.example>"),
                hard("00004.d.txt", "Lockergnome Windows Daily <lockergnome@lockergnome.com>"),
                hard("00005.e.txt", "update@list.theregister.co.uk"),
                new Corpus.Message("spam-1", "00001.f.txt", true, "From: x@y.example\r\n\r\nhi\r\n".getBytes()));
        String[] p = Train.publishers(messages, "publisher");
        // CNET and ZDNet share newsletter.online.com; "CNET Shopper" shares the display word with CNET.
        assertThat(p[1]).isEqualTo(p[0]);
        assertThat(p[2]).isEqualTo(p[0]);
        assertThat(p[3]).isNotEqualTo(p[0]);
        // Without a display name, the registrable domain (a public suffix of two labels kept whole).
        assertThat(p[4]).isNotEqualTo(p[0]).isNotEqualTo(p[3]).contains("theregister.co.uk");
        assertThat(p[5]).isNull();
        // The sender key keeps CNET and ZDNet apart (what the shipped CV folds by).
        String[] s = Train.publishers(messages, "sender");
        assertThat(s[0]).isEqualTo("cnet");
        assertThat(s[1]).isEqualTo("zdnet");
    }
}
