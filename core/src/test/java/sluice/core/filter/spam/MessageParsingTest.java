package sluice.core.filter.spam;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class MessageParsingTest {

    @Test
    void base64PartsAreDecoded() {
        String encoded = Base64.getMimeEncoder().encodeToString("Cheap watches here".getBytes(StandardCharsets.UTF_8));
        ParsedMessage m = MessageParser.parse(new Mail().header("Content-Transfer-Encoding", "base64")
                .body(encoded + "\n").bytes());
        assertThat(m.plainText()).contains("Cheap watches here");
        assertThat(Tokenizer.tokenize(m)).contains("cheap", "watches", "bi:cheap watches", "encoding:base64");
    }

    @Test
    void quotedPrintableAndCharsetsAreDecoded() {
        byte[] raw = new Mail().header("Content-Type", "text/plain; charset=iso-8859-1")
                .header("Content-Transfer-Encoding", "quoted-printable")
                .body("Gr=FC=DFe aus M=FCnchen, soft=\nbreak\n").bytes();
        assertThat(MessageParser.parse(raw).plainText()).contains("Grüße aus München, softbreak");
    }

    @Test
    void utf8And2047EncodedSubjectAreDecoded() {
        byte[] raw = new Mail().header("Subject", "=?UTF-8?B?0JrRg9C/0LjRgtGMINGB0LXQudGH0LDRgQ==?=")
                .header("Content-Type", "text/plain; charset=utf-8").body("Привет, мир\n").bytes();
        ParsedMessage m = MessageParser.parse(raw);
        assertThat(m.header("Subject")).isEqualTo("Купить сейчас");
        assertThat(Tokenizer.tokenize(m)).contains("subject:купить", "subject:сейчас", "привет", "charset:utf-8");
    }

    @Test
    void multipartAlternativeKeepsBothPartsAndAttachmentNames() {
        String body = """
                --b1
                Content-Type: text/plain; charset=us-ascii

                plain words
                --b1
                Content-Type: text/html; charset=us-ascii

                <p>html words</p>
                --b1
                Content-Type: application/octet-stream; name="invoice.exe"
                Content-Transfer-Encoding: base64

                TVqQAAMAAAAEAAAA
                --b1--
                """;
        ParsedMessage m = MessageParser.parse(new Mail().header("Content-Type", "multipart/mixed; boundary=\"b1\"")
                .body(body).bytes());
        assertThat(m.plainText()).contains("plain words");
        assertThat(m.htmlText()).contains("html words");
        assertThat(m.parts()).extracting(ParsedMessage.Part::mimeType)
                .containsExactly("text/plain", "text/html", "application/octet-stream");
        assertThat(Tokenizer.tokenize(m)).contains("filename:exe", "content-type:application/octet-stream");
    }

    @Test
    void htmlIsRenderedToVisibleTextWithLinks() {
        HtmlRendering r = HtmlText.render("""
                <html><head><style>p { color: red }</style><script>var hidden = 1;</script></head>
                <body><p>Vi<!-- x -->agra &amp; <b>F</b>REE&nbsp;now</p>
                <a href="http://shop.example.com/buy?id=1">Click here</a><img src="http://img.example.com/a.gif">
                &#72;&#69;&#76;&#76;&#79;</body></html>""");
        assertThat(r.text()).contains("Viagra & FREE now", "Click here", "HELLO")
                .doesNotContain("color", "hidden", "<");
        assertThat(r.links()).containsExactly(new Link("http://shop.example.com/buy?id=1", "Click here"),
                new Link("http://img.example.com/a.gif", ""));
        assertThat(r.images()).isEqualTo(1);
        assertThat(r.asciiEntities()).isEqualTo(5);
        assertThat(r.tags()).contains("a", "img", "p", "b");
    }

    @Test
    void urlsAreFoundAndTakenApart() {
        assertThat(Urls.find("see http://www.Example.co.uk/path/page.html, or www.other.com."))
                .extracting(Link::href).containsExactly("http://www.Example.co.uk/path/page.html", "www.other.com");
        assertThat(Urls.host("http://user@Shop.Example.COM:8080/x")).isEqualTo("shop.example.com");
        assertThat(Urls.host("mailto:a@b.c")).isNull();
        assertThat(Urls.isIpHost("192.0.2.1")).isTrue();
        assertThat(Urls.isIpHost("3221225985")).isTrue();
        assertThat(Urls.isIpHost("example.com")).isFalse();
        assertThat(Urls.registrableDomain("a.b.example.co.uk")).isEqualTo("example.co.uk");
        assertThat(Urls.registrableDomain("mail.example.com")).isEqualTo("example.com");
    }

    @Test
    void urlsBecomeDomainAndPathTokens() {
        var tokens = Tokenizer.tokenize(MessageParser.parse(new Mail()
                .body("Order at http://deals.shop.example.com/cheap/pills.html today\n").bytes()));
        assertThat(tokens).contains("url:example.com", "url:shop.example.com", "url:deals.shop.example.com",
                "url-path:cheap", "url-path:pills", "proto:http", "order", "today")
                .noneMatch(t -> t.contains("http://"));
    }

    @Test
    void htmlMarkupIsOneFactNotOneTokenPerTag() {
        var tokens = Tokenizer.tokenize(MessageParser.parse(new Mail().header("Content-Type", "text/html; charset=us-ascii")
                .body("<html><head><title>News</title></head><body><table><tr><td><font size=2><b>Weekly news</b>"
                        + "</font><img src=\"http://img.example.org/a.gif\"></td></tr></table></body></html>\n").bytes()));
        assertThat(tokens).contains("content-type:text/html", "html:images:1", "weekly", "news")
                .noneMatch(t -> t.startsWith("html:") && !t.startsWith("html:images:"));
    }

    @Test
    void selectedHeadersGivePrefixedTokens() {
        var tokens = Tokenizer.tokenize(MessageParser.parse(new Mail().header("Subject", "FREE money now")
                .header("X-Mailer", "Mass Mailer 3.1").bytes()));
        assertThat(tokens).contains("subject:free", "subject:money", "subject:bi:free money", "from:domain:example.org",
                "from:name:alice", "x-mailer:mass", "header:x-mailer", "received:ip:192.0.2", "date:zone:+0000");
    }

    @Test
    void mboxFromLineIsNotAHeader() {
        byte[] raw = ("From alice@example.org  Tue Sep  3 10:00:00 2024\n" + new Mail().text())
                .getBytes(StandardCharsets.UTF_8);
        assertThat(MessageParser.parse(raw).header("Subject")).isEqualTo("Meeting moved to Thursday");
    }
}
