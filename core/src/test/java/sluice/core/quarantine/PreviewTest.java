package sluice.core.quarantine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The preview shows headers and text, renders HTML as text, and never returns markup or attachments. */
class PreviewTest {

    private static Preview preview(String message) {
        return Preview.of(message.getBytes(StandardCharsets.UTF_8), 1000);
    }

    @Test
    void headersAreDecodedAndThePlainTextPartIsShown() {
        Preview p = preview("From: ann@partner.example\r\nSubject: =?UTF-8?B?w4ljaMOpYW5jZQ==?=\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nPay =E2=82=AC100 today\r\n--b\r\nContent-Type: text/html\r\n\r\n<b>x</b>\r\n--b--\r\n");

        assertThat(p.headers()).contains(new Preview.Header("Subject", "Échéance"), new Preview.Header("From", "ann@partner.example"));
        assertThat(p.text()).isEqualTo("Pay €100 today");
        assertThat(p.fromHtml()).isFalse();
    }

    @Test
    void htmlIsRenderedAsTextWithoutScriptsOrTags() {
        Preview p = preview("Content-Type: text/html\r\n\r\n<html><head><title>t</title><style>p{color:red}</style></head>"
                + "<body><script>alert('x')</script><p>Dear &amp; valued<br>customer</p><!-- hidden --><a href=\"http://evil.example\">"
                + "click &lt;here&gt;</a><img src=x onerror=alert(1)></body></html>");

        assertThat(p.text()).isEqualTo("Dear & valued\ncustomer\nclick <here>");
        assertThat(p.fromHtml()).isTrue();
        assertThat(p.text()).doesNotContain("alert", "color", "href", "hidden");
    }

    @Test
    void attachmentsAreNotPreviewedAndLongTextIsCut() {
        Preview p = preview("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n"
                + "Content-Disposition: attachment; filename=a.txt\r\n\r\nsecret attachment\r\n--b--\r\n");
        assertThat(p.text()).isEmpty();

        Preview longOne = Preview.of(("Subject: x\r\n\r\n" + "y".repeat(5000)).getBytes(StandardCharsets.US_ASCII), 1000);
        assertThat(longOne.text()).hasSize(1000);
        assertThat(longOne.truncated()).isTrue();
    }

    @Test
    void unclosedCommentsAndScriptsHideTheRestAsInABrowser() {
        assertThat(preview("Content-Type: text/html\r\n\r\nshown<!-- never closed <p>hidden").text()).isEqualTo("shown");
        assertThat(preview("Content-Type: text/html\r\n\r\nshown<SCRIPT type=x>alert(1)</script  >, and this<script>x").text())
                .isEqualTo("shown , and this");
        assertThat(preview("Content-Type: text/html\r\n\r\n<header>kept</header><br ><p>line</p ><h2>t</h2 >x").text())
                .isEqualTo("kept\nline\nt\nx");
    }

    @Test
    void whatABrowserShowsIsNotHiddenFromThePreview() {
        // a head a browser closes at the body, "<" not followed by a tag name, and HTML5's empty comments
        assertThat(preview("Content-Type: text/html\r\n\r\n<html><head><title>x</title><body>Pay at evil.example").text())
                .isEqualTo("Pay at evil.example");
        assertThat(preview("Content-Type: text/html\r\n\r\n<head><meta charset=utf-8>Pay now").text()).isEqualTo("Pay now");
        assertThat(preview("Content-Type: text/html\r\n\r\nif a < b and < title> then c").text()).isEqualTo("if a < b and < title> then c");
        assertThat(preview("Content-Type: text/html\r\n\r\none<!-->two<!--->three").text()).isEqualTo("one two three");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void markupWithoutEndsIsRenderedInOnePass() {
        // the preview reads up to 80,000 characters of HTML; the patterns retried the rest of it from every
        // unclosed start: about 5 s of CPU per preview of such a message (about 45 s for these nine)
        for (String start : java.util.Collections.nCopies(3, new String[]{"<!--", "<script", "<br"}).stream()
                .flatMap(java.util.Arrays::stream).toList()) {
            Preview p = Preview.of(("Content-Type: text/html\r\n\r\n" + start.repeat(100_000)).getBytes(StandardCharsets.US_ASCII), 20_000);
            assertThat(p.text()).isEmpty();
        }
    }

    @Test
    void malformedInputStillPreviews() {
        assertThat(preview("garbage without headers").text()).isNotNull();
        assertThat(preview("Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\nbody").text()).isNotNull();
    }
}
