package sluice.core.rule;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.junit.jupiter.api.Test;
import sluice.core.mail.AddressList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The header field a setHeader action writes (FieldEncoding) and what setHeader refuses when a rule is created or
 * edited: found by a review that decoded each written field with Mime4j and measured its lines.
 */
class FieldEncodingTest {

    private static String field(String name, String value) {
        return new RuleActions.SetHeader(name, value).field();
    }

    private static String unfolded(String field) {
        String u = field.replace("\r\n", "");
        return u.substring(u.indexOf(':') + 2);
    }

    private static void refused(String name, String value, String why) {
        assertThatThrownBy(() -> new RuleActions.SetHeader(name, value)).as(name + ": " + value)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setHeader.").hasMessageContaining(why);
    }

    /** Every line at most {@code max} octets, continuation lines start with white space and are not blank. */
    private static void linesAtMost(String field, int max) {
        String[] lines = field.split("\r\n", -1);
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i].getBytes(StandardCharsets.UTF_8).length).as(lines[i]).isLessThanOrEqualTo(max);
            if (i > 0) assertThat(lines[i]).as(field).matches("[ \t].*\\S.*");
        }
    }

    /** A review found '@domain' after a quoted local part taken for a word of its own and encoded: no address was left. */
    @Test
    void aQuotedLocalPartAndItsDomainAreOneAddressNeverEncoded() throws Exception {
        assertThat(field("To", "\"jörg\"@exämple.com")).isEqualTo("To: \"jörg\"@exämple.com");
        String list = field("To", "\"a b\"@exämple.com, Jörg <j@x.example>");
        assertThat(list).isEqualTo("To: \"a b\"@exämple.com, =?UTF-8?B?SsO2cmc=?= <j@x.example>");
        assertThat(DefaultAddressParser.DEFAULT.parseAddressList(unfolded(list)).flatten())
                .extracting(m -> m.getLocalPart() + "@" + m.getDomain()).containsExactly("a b@exämple.com", "j@x.example");
        // long enough to fold: never between the quoted local part and its domain
        String x = "x".repeat(40) + "@y.example";
        String folded = field("To", "Jörg <j@x.example>, " + x + ", \"aaaaaaaaaaaaaaaaaaaaaaaa b\"@exämple.com");
        assertThat(folded).endsWith(",\r\n \"aaaaaaaaaaaaaaaaaaaaaaaa b\"@exämple.com");
        assertThat(AddressList.addrSpecs(unfolded(folded))).containsExactly("j@x.example", x, "\"aaaaaaaaaaaaaaaaaaaaaaaa b\"@exämple.com");
    }

    /** A review found a 1792-octet line: UTF-8 addresses kept as they are, length counted in chars, folds only beside encoded words. */
    @Test
    void longLinesAreFoldedAtWhiteSpaceCountingOctets() {
        StringBuilder utf8 = new StringBuilder();
        for (int i = 0; utf8.length() < 880; i++) utf8.append(i == 0 ? "" : ", ").append("用户").append(i).append("@例子.中国");
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; ascii.length() < 880; i++) ascii.append(i == 0 ? "" : ", ").append("user").append(i).append("@example.com");
        StringBuilder noSpace = new StringBuilder();
        for (int i = 0; noSpace.length() < 880; i++) noSpace.append(i == 0 ? "" : ",").append("用户").append(i).append("@例子.中国");
        String words = "word ".repeat(170).strip();
        String references = "<a1@x.example> ".repeat(55).strip();
        for (String[] f : List.of(new String[]{"To", utf8.toString()}, new String[]{"Cc", ascii.toString()},
                new String[]{"Bcc", noSpace.toString()}, new String[]{"X-Rule", words}, new String[]{"Subject", words},
                new String[]{"References", references})) {
            String written = field(f[0], f[1]);
            assertThat(written).as(f[0]).contains("\r\n");
            linesAtMost(written, 78);
            assertThat(written).doesNotContain("=?");
            if (f[0].equals("Bcc")) assertThat(unfolded(written).replace(", ", ",")).isEqualTo(f[1]);
            else assertThat(unfolded(written)).as("folding only puts CRLF before white space").isEqualTo(f[1]);
        }
        assertThat(AddressList.addrSpecs(unfolded(field("To", utf8.toString())))).hasSize(utf8.toString().split(", ").length);
    }

    /** Nothing to fold at: refused when the rule is made, never written as an invalid line (RFC 5322 section 2.1.1). */
    @Test
    void aValueThatWouldMakeALineOver998OctetsOrAnAddressOver254IsRefused() {
        refused("To", "<@" + "例".repeat(330) + ".example:a@b.example>", "998");
        refused("To", "<" + "日".repeat(300) + "@example.com>", "254");
        refused("To", "\"" + "ü".repeat(880) + "\"@example.com", "254");
        assertThat(field("X-Rule", "日".repeat(880))).as("text is encoded, so it folds").satisfies(f -> linesAtMost(f, 76));
    }

    /** A review found Message-ID, List-Unsubscribe and MIME parameters encoded like text: RFC 2047 section 5 forbids it. */
    @Test
    void structuredFieldsAreNeverEncodedAndMustBeAscii() {
        refused("Message-ID", "<ä@x.example>", "structured");
        refused("List-Unsubscribe", "<mailto:u@x.example?subject=ünsub>", "structured");
        refused("Content-Disposition", "attachment; filename=\"ü.txt\"", "structured");
        refused("Resent-Message-ID", "<ä@x.example>", "structured");
        assertThat(field("Content-Disposition", "attachment; filename=\"=?x?q?y?=\""))
                .isEqualTo("Content-Disposition: attachment; filename=\"=?x?q?y?=\"");
        assertThat(field("List-Id", "=?utf-8?q?x?= <list.x.example>")).isEqualTo("List-Id: =?utf-8?q?x?= <list.x.example>");
        assertThat(field("Content-Description", "Grüße")).as("Content-Description is text (RFC 2045 section 8)").contains("=?UTF-8?B?");
    }

    /** Replacing these would forge or break what other hops wrote, or make the body unreadable. */
    @Test
    void traceAuthenticationAndMimeStructureFieldsCannotBeSet() {
        for (String name : List.of("Received", "Return-Path", "Received-SPF", "DKIM-Signature", "ARC-Seal",
                "arc-message-signature", "Authentication-Results", "MIME-Version", "Content-Type", "content-transfer-encoding"))
            refused(name, "x", "cannot be set by a rule");
        assertThat(field("Subject", "x")).isEqualTo("Subject: x");
    }

    /** A review found malformed address values written with their address encoded into a name, or misread by Mime4j. */
    @Test
    void anAddressFieldThatDoesNotReadAsAddressesIsRefused() {
        refused("To", "\"Jörg <j@x.example>", "cannot read");
        refused("To", "Jörg <j@x.example", "cannot read");
        refused("To", "<j@x.example> <k@x.example>", "cannot read");
        refused("To", "a@b.example (x) \"Jörg\" <j@x.example>", "display name");
        refused("Reply-To", "Müller@Firma GmbH <m@x.example>", "display name");
        refused("From", "", "at least one address");
        refused("From", "Team:;", "at least one address");
        refused("Sender", "a@b.example, c@d.example", "exactly one address");
        assertThat(field("To", "undisclosed-recipients:;")).isEqualTo("To: undisclosed-recipients:;");
        assertThat(field("To", "jörg@[192.0.2.1]")).as("a domain literal is an address").isEqualTo("To: jörg@[192.0.2.1]");
        assertThat(field("To", "Jörg <j@[192.0.2.1]>")).isEqualTo("To: =?UTF-8?B?SsO2cmc=?= <j@[192.0.2.1]>");
    }

    /**
     * A review found values whose written field reads as other addresses than the value did: a word before "@" encoded
     * into another mailbox, an entry without address encoded into one that DKIM signing then counted, nothing
     * address-like checked at all, a group where one mailbox must stand, and a From of two authors without a Sender.
     */
    @Test
    void anAddressValueMustBeReadTheSameWrittenAndHoldOneAddressPerEntry() {
        refused("From", "jörg @example.com", "white space");
        refused("From", "j @exämple.com", "white space");
        refused("From", "Boss <boss @contoso.example>", "white space");
        refused("To", "Boss <boss(x)@contoso.example>", "white space");
        refused("From", "boss@contoso.example (ü) .x", "white space");
        refused("To", "Jörg j@x.example", "white space");
        refused("To", "\"x\" b@x.example", "white space");
        refused("From", "Jörg, boss@contoso.example", "no address");
        refused("To", "boss@contoso.example, Jörg", "no address");
        refused("To", "<", "no address");
        refused("To", "\"unterminated", "");
        refused("To", "é", "no address");
        refused("Cc", "a@b.example,,c@d.example", "empty");
        refused("To", ",,,,", "empty");
        refused("Sender", "G: a@b.example;", "group");
        refused("From", "G: a@b.example;", "group");
        refused("To", "G: a@b.example", "group");
        refused("To", "a@b.example; c@d.example", "group");
        refused("To", "Grp: ; <j@x.example>", "comma is missing");
        refused("Reply-To", "a@b.examplea@b.example <j@x.example>", "display name");
        refused("From", "a@b.example, c@d.example", "one address");
        refused("Resent-From", "a@b.example, c@d.example", "one address");
        assertThat(field("From", "(ü) boss@a.example")).isEqualTo("From: (=?UTF-8?B?w7w=?=) boss@a.example");
        assertThat(field("From", "Boss <boss@a.example> (Chef ü)")).isEqualTo("From: Boss <boss@a.example> (=?UTF-8?B?Q2hlZiDDvA==?=)");
        assertThat(field("To", "G: a@b.example, Jörg <j@x.example>;, c@d.example"))
                .isEqualTo("To: G: a@b.example, =?UTF-8?B?SsO2cmc=?= <j@x.example>;, c@d.example");
        assertThat(field("Bcc", "")).isEqualTo("Bcc: ");
        assertThat(field("To", "\"Müller, Hans\" <m@x.example>")).isEqualTo("To: =?UTF-8?B?TcO8bGxlciwgSGFucw==?= <m@x.example>");
    }

    /** A review found NBSP, ideographic space and bidi controls taken as address characters. */
    @Test
    void whiteSpaceAndFormatCharactersAreRefusedInAddresses() {
        for (String bad : List.of("a@b.example,\u00a0ü@b.example", "a\u3000b@x.example", "ab\u202e@x.example",
                "<a\u200bb@x.example>", "a@b\u2028.example"))
            refused("To", bad, "");
        assertThat(field("To", "\"a b\"@x.example")).isEqualTo("To: \"a b\"@x.example");
    }

    /**
     * A review found a quoted-pair before U+2028 left escaped ("." does not match a line separator). Since the shared
     * address parser reads a line separator as a break wherever it stands, escaped or not, such a value is refused.
     */
    @Test
    void aQuotedPairBeforeALineSeparatorIsRefused() {
        refused("Reply-To", "\"J\\\u2028örg\" <j@x.example>", "cannot read");
        refused("Reply-To", "j@x.example (K\\\u2028)", "cannot read");
    }

    /** A review found two spaces where a comment was taken out of a display name. */
    @Test
    void aCommentTakenOutOfADisplayNameLeavesOneSpace() {
        String f = field("To", "\"Jörg\" (c) Müller <j@x.example>");
        assertThat(DecoderUtil.decodeEncodedWords(unfolded(f), DecodeMonitor.SILENT)).isEqualTo("(c) Jörg Müller <j@x.example>");
    }

    /** What the review's fuzzing checked, on values every reader agrees on: lines, encoded words, whole characters. */
    @Test
    void everyWrittenLineIsWithinItsLimits() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 22; i++) values.add("\"Müller, Hans " + i + "\" <h" + i + "@x.example>");
        String list = String.join(", ", values);
        for (String f : List.of(field("To", list), field("Reply-To", "(" + "😀".repeat(40) + ") j@x.example"),
                field("X-Rule", "x".repeat(100) + " ü " + "y".repeat(100)), field("Subject", "ä" + "x".repeat(895)))) {
            for (String line : f.split("\r\n")) {
                assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(998);
                if (line.contains("=?")) assertThat(line.length()).as(line).isLessThanOrEqualTo(76);
            }
        }
        assertThat(AddressList.addrSpecs(unfolded(field("To", list)))).hasSize(22);
        String longName = "X-" + "n".repeat(74);
        assertThat(field(longName, "ü")).as("after a long name the encoded word goes on a line of its own")
                .isEqualTo(longName + ":\r\n =?UTF-8?B?w7w=?=");
    }
}
