package sluice.imap;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.MimeConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sluice.core.filter.malware.MalwarePolicy;
import sluice.core.filter.malware.MalwareResult;
import sluice.core.filter.malware.MalwareScanner;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IMAP splits stored messages itself, for exact offsets; the malware scanner splits them with Mime4j
 * before they are stored. Where the two disagree, a client can fetch an attachment the scanner never
 * inspected. These messages are built so that they disagreed: a close delimiter followed by junk, an
 * opening delimiter followed by junk, a header line that is not a field before the part's Content-Type.
 */
class PartsTheScannerDidNotSeeAreNotServedTest {

    /** The scanner's configuration (MimeWalker), to compare part by part. */
    private static final MimeConfig SCANNER = MimeConfig.custom().setStrictParsing(false).setMaxLineLen(-1)
            .setMaxHeaderLen(-1).setMaxHeaderCount(-1).setMalformedHeaderStartsBody(true).build();
    private static final String EXE = Base64.getMimeEncoder()
            .encodeToString(("MZ\u0090\0" + "x".repeat(200)).getBytes(StandardCharsets.ISO_8859_1));

    private static byte[] message(String delimiterAfterText, String junkBeforeTheAttachmentsHeader) {
        return ("From: x@example.com\r\nTo: y@example.org\r\nSubject: t\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=a\r\n\r\n"
                + "--a\r\nContent-Type: text/plain\r\n\r\nhello\r\n" + delimiterAfterText + "\r\n"
                + junkBeforeTheAttachmentsHeader
                + "Content-Type: application/octet-stream; name=\"invoice.exe\"\r\n"
                + "Content-Disposition: attachment; filename=\"invoice.exe\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + EXE + "\r\n--a--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The leaves' content types and bodies as the scanner's parser reads them. */
    private static List<String> scannersLeaves(byte[] message) throws Exception {
        List<String> leaves = new ArrayList<>();
        MimeStreamParser parser = new MimeStreamParser(SCANNER, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        parser.setContentDecoding(false);
        parser.setContentHandler(new AbstractContentHandler() {
            @Override
            public void body(BodyDescriptor bd, InputStream in) throws java.io.IOException {
                leaves.add(bd.getMimeType() + " " + new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        });
        parser.parse(new ByteArrayInputStream(message));
        return leaves;
    }

    private static List<String> imapsLeaves(byte[] message) {
        List<String> leaves = new ArrayList<>();
        MimePart m = MimePart.parse(message);
        for (MimePart p : m.multipart() ? m.children() : List.of(m)) {
            leaves.add(p.type() + "/" + p.subtype() + " " + new String(message, p.bodyStart(), p.bodySize(), StandardCharsets.ISO_8859_1));
        }
        return leaves;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--a--junk", "--a-- x", "--a---", "--a x--", "--a\t--"})
    void aCloseDelimiterFollowedByAnythingEndsTheMultipartAsForTheScanner(String close) throws Exception {
        byte[] message = message(close + "\r\n--a", "");
        // the scanner also walks the epilogue again (Thunderbird shows what follows such a line), so it holds the
        // message; IMAP, like Mime4j, ends the multipart there and never serves the part after it
        assertThat(new MalwareScanner(MalwarePolicy.defaults()).scan(message)).isInstanceOf(MalwareResult.Infected.class);
        assertThat(imapsLeaves(message)).containsExactly("text/plain hello").isEqualTo(scannersLeaves(message));
        assertThat(MimePart.parse(message).part(new int[]{2})).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--a junk", "--a\tjunk", "--a\r", "--a\rjunk", "--a \r"})
    void anOpeningDelimiterFollowedByWhiteSpaceOpensAPartAsForTheScanner(String open) throws Exception {
        byte[] message = message(open, "");
        assertThat(new MalwareScanner(MalwarePolicy.defaults()).scan(message)).isInstanceOf(MalwareResult.Infected.class);
        assertThat(imapsLeaves(message)).hasSize(2).isEqualTo(scannersLeaves(message));
        assertThat(MimePart.parse(message).children().get(1).dispositionParams()).containsEntry("filename", "invoice.exe");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--ab", "--a-", "--a-x", "--A"})
    void aLineThatOnlyStartsLikeADelimiterIsContentAsForTheScanner(String notADelimiter) throws Exception {
        byte[] message = message(notADelimiter, "");
        assertThat(imapsLeaves(message)).hasSize(1).isEqualTo(scannersLeaves(message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Junk\r\n", "X Junk: y\r\n", " folded-without-colon\r\n", "X-\u00e9: y\r\n"})
    void aHeaderLineThatIsNotAFieldStartsTheBodyAsForTheScanner(String junk) throws Exception {
        byte[] message = message("--a", junk);
        assertThat(new MalwareScanner(MalwarePolicy.defaults()).scan(message)).isInstanceOf(MalwareResult.Clean.class);
        MimePart attachment = MimePart.parse(message).children().get(1);
        assertThat(attachment.type() + "/" + attachment.subtype()).isEqualTo("text/plain");
        assertThat(attachment.dispositionParams()).isEmpty();
        assertThat(attachment.bodyStart()).isEqualTo(attachment.headerStart());
        // Mime4j also drops the line after the one that is not a field; the types still agree.
        assertThat(scannersLeaves(message)).extracting(l -> l.substring(0, l.indexOf(' ')))
                .containsExactly("text/plain", "text/plain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Subject : spaced before the colon\r\n", ": empty name\r\n", " X-Leading: space\r\n"})
    void fieldsMime4jAcceptsDoNotEndTheHeader(String field) throws Exception {
        byte[] message = message("--a", field);
        assertThat(imapsLeaves(message)).isEqualTo(scannersLeaves(message));
        assertThat(MimePart.parse(message).children().get(1).dispositionParams()).containsEntry("filename", "invoice.exe");
    }
}
