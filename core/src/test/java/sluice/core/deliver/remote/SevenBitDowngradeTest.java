package sluice.core.deliver.remote;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The 7-bit conversion's rules on their own: what is relabelled, what passes, what cannot be converted. */
class SevenBitDowngradeTest {

    private static String converted(String message) throws IOException {
        return converted(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String converted(byte[] message) throws IOException {
        SevenBitDowngrade.Result r = SevenBitDowngrade.of(message);
        assertThat(r.unconvertible()).isNull();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.content().writeTo(out);
        assertThat(out.size()).as("the size announced is the size written").isEqualTo(r.content().size());
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String unconvertible(String message) {
        return SevenBitDowngrade.of(message.getBytes(StandardCharsets.UTF_8)).unconvertible();
    }

    @Test
    void anEightBitLabelledAsciiLeafBecomesQuotedPrintableWithItsLongLinesBroken() throws IOException {
        String line = "x".repeat(200);
        String out = converted("Content-Transfer-Encoding: 8bit\r\n\r\n" + line + "\r\n");
        assertThat(out).isEqualTo("MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + "x".repeat(75) + "=\r\n" + "x".repeat(75) + "=\r\n" + "x".repeat(50) + "\r\n");
    }

    @Test
    void messageGlobalIsALeafThatMayBeEncoded() throws IOException {
        String out = converted("Content-Type: message/global\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSubject: \u00e9\r\n\r\nx\r\n");
        assertThat(out).endsWith("Content-Transfer-Encoding: quoted-printable\r\n\r\nSubject: =C3=A9\r\n\r\nx\r\n");
    }

    @Test
    void aMessageTypeThatMustStay7BitIsRelabelledWhenAsciiAndUnconvertibleWhenNot() throws IOException {
        String ascii = "Content-Type: message/delivery-status\r\nContent-Transfer-Encoding: 8bit\r\n\r\nStatus: 5.0.0\r\n";
        assertThat(converted(ascii)).isEqualTo("Content-Type: message/delivery-status\r\nMIME-Version: 1.0\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\nStatus: 5.0.0\r\n");
        assertThat(unconvertible(ascii.replace("5.0.0", "5.0.0 \u00e9"))).contains("must stay 7bit");
    }

    @Test
    void eightBitInAPreambleOrEpilogueIsQuotedLineByLineAndAsciiLinesStay() throws IOException {
        String out = converted("Content-Type: multipart/mixed; boundary=b\r\n\r\npr\u00e9\r\nascii\r\n--b\r\n\r\nx\r\n--b--\r\n\u00e9pi\r\n");
        assertThat(out).isEqualTo("Content-Type: multipart/mixed; boundary=b\r\n\r\npr=C3=A9\r\nascii\r\n--b\r\n\r\nx\r\n--b--\r\n=C3=A9pi\r\n");
    }

    @Test
    void bareLineEndsAreLineEndsAndAHeaderAtTheEndGetsItsLabelOnALineOfItsOwn() throws IOException {
        assertThat(converted("Subject: a\n\n\u00e9\rb\n")).isEqualTo("Subject: a\nMIME-Version: 1.0\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\n=C3=A9\r\nb\r\n");
        assertThat(converted("Content-Transfer-Encoding: 8bit")).isEqualTo("MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n");
        assertThat(converted("Subject: a\r\nContent-Transfer-Encoding: binary")).isEqualTo("Subject: a\r\n"
                + "MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n");
    }

    @Test
    void aHeaderBrokenOffByANonFieldLineGetsAnEmptyLineAfterTheNewLabel() throws IOException {
        assertThat(converted("Subject: a\r\nnot a field \u00e9\r\n")).isEqualTo("Subject: a\r\nMIME-Version: 1.0\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nnot a field =C3=A9\r\n");
    }

    @Test
    void nestingPastTheLimitIsNotWalkedAndItsEightBitIsUnconvertible() throws IOException {
        StringBuilder m = new StringBuilder();
        for (int i = 0; i <= SevenBitDowngrade.MAX_DEPTH; i++)
            m.append("Content-Type: multipart/mixed; boundary=b").append(i).append("z\r\n\r\n--b").append(i).append("z\r\n");
        m.append("\r\n");
        assertThat(converted(m + "ascii\r\n")).isEqualTo(m + "ascii\r\n");
        assertThat(unconvertible(m + "\u00e9\r\n")).contains("cannot be re-encoded");
    }

    @Test
    void aDigestsPartsAreMessagesByDefault() throws IOException {
        String out = converted("Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\n"
                + "Subject: one\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\u00e9\r\n--d--\r\n");
        assertThat(out).contains("--d\r\n\r\nSubject: one\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\r\n--d--");
    }

    /** Comments nest and escape ")" (RFC 5322 section 3.2.2): the type after them is still an enclosed message, walked into. */
    @Test
    void nestedAndEscapedCommentsInContentTypeAreSkippedWhole() throws IOException {
        for (String comment : new String[]{"(forwarded (as is) here)", "(a \\) b)"}) {
            String out = converted("Content-Type: message/rfc822 " + comment + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                    + "Subject: s\r\n\r\n\u00e9\r\n");
            assertThat(out).as(comment).endsWith("Content-Transfer-Encoding: 7bit\r\n\r\nSubject: s\r\n"
                    + "MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\r\n");
        }
    }

    /** A run of "(" never closed is one comment to the end of the value, of which only the first 256 KiB are read. */
    @Test
    void anUnclosedCommentRunsToTheEndAndALongValueIsReadFromItsStart() throws IOException {
        StringBuilder type = new StringBuilder("Content-Type: text/plain");
        for (int i = 0; i < 80; i++) type.append("\r\n ").append("(".repeat(500));
        String out = converted(type + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\u00e9\r\n");
        assertThat(out).endsWith("Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\r\n");
        assertThat(EntityHeader.withoutComments("multipart/mixed; boundary=\"(b)\" (c)")).isEqualTo("multipart/mixed; boundary=\"(b)\" ");
    }

    /** The boundary is read from the value without its comments: a "boundary=" inside one is not the boundary. */
    @Test
    void aBoundaryInsideACommentIsNotTheBoundary() throws IOException {
        String out = converted("Content-Type: multipart/mixed; (boundary=evil) boundary=good\r\n\r\n--good\r\n"
                + "Content-Type: text/plain\r\n\r\nh\u00e9\r\n--good--\r\n");
        assertThat(out).endsWith("quoted-printable\r\n\r\nh=C3=A9\r\n--good--\r\n");
    }

    /** A boundary after a long parameter is still read: values are parsed up to 256 KiB. */
    @Test
    void aBoundaryAfterALongParameterIsRead() throws IOException {
        String out = converted("Content-Type: multipart/mixed; x=\"" + "a".repeat(17_000) + "\"; boundary=b\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nh\u00e9llo\r\n"
                + "--b\r\nContent-Type: image/png\r\n\r\nABC\r\n--b--\r\n");
        assertThat(out).endsWith("Content-Transfer-Encoding: 7bit\r\n\r\n--b\r\nContent-Type: text/plain\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\nh=C3=A9llo\r\n--b\r\nContent-Type: image/png\r\n\r\nABC\r\n--b--\r\n");
    }

    /**
     * A multipart whose boundary cannot be read (none, or a value longer than is parsed) is not encoded as text, which
     * would turn its delimiters into "=2D-b": with 8-bit content it is unconvertible; without, it passes relabelled.
     */
    @Test
    void aMultipartWhoseBoundaryCannotBeReadIsNotEncoded() throws IOException {
        String parts = "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nh\u00e9\r\n--b--\r\n";
        assertThat(unconvertible("Content-Type: multipart/mixed" + parts)).contains("boundary");
        String cut = "Content-Type: multipart/mixed; x=\"" + "a".repeat(EntityHeader.MAX_VALUE) + "\"; boundary=b";
        assertThat(unconvertible(cut + parts)).contains("boundary");
        String ascii = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed" + parts.replace("\u00e9", "e");
        assertThat(converted(ascii)).isEqualTo(ascii.replace("8bit", "7bit"));
    }

    /** RFC 2231 forms of the boundary are read as RFC 2231 readers read them. */
    @Test
    void aBoundaryWrittenAsRfc2231IsRead() throws IOException {
        String parts = "\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nh\u00e9\r\n--b1--\r\n";
        for (String type : new String[] {"multipart/mixed; boundary*=us-ascii''b%31", "multipart/mixed; boundary*0=\"b\"; boundary*1=\"1\"",
                "multipart/mixed; boundary*0*=us-ascii'en'b; boundary*1=1"}) {
            assertThat(converted("Content-Type: " + type + parts)).as(type).endsWith("quoted-printable\r\n\r\nh=C3=A9\r\n--b1--\r\n");
        }
        assertThat(unconvertible("Content-Type: multipart/mixed; boundary=b1; boundary*=us-ascii''b2" + parts))
                .as("two boundaries readers choose between differently").contains("boundary");
    }

    /**
     * Parameters are split at ';' outside quoted strings: in {@code junk "x;boundary=evil"} the "boundary=" is no
     * parameter. It used to be taken (boundary {@code evil"}), so no delimiter matched, the 8-bit part was encoded as
     * preamble without a Content-Transfer-Encoding, and the message went out relabelled 7bit. Such a list is not
     * RFC 2045's, and readers split it differently: with 8-bit content it is unconvertible; without, it passes.
     */
    @Test
    void aQuotedBoundaryInAParameterWithoutNameIsNoBoundary() throws IOException {
        String parts = "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nh\u00e9\r\n--b1--\r\n";
        String type = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; junk \"x;boundary=evil\"; boundary=b1";
        assertThat(unconvertible(type + parts)).contains("boundary");
        String ascii = type + parts.replace("\u00e9", "e");
        assertThat(converted(ascii)).isEqualTo(ascii.replace("8bit", "7bit"));
        // in a named parameter's quoted value, ";" and "=" are that value's: the boundary is b1
        String named = type.replace("junk \"", "junk=\"");
        assertThat(converted(named + parts)).endsWith("quoted-printable\r\n\r\nh=C3=A9\r\n--b1--\r\n");
        assertThat(converted(named + ";" + parts)).as("a ';' at the end").endsWith("quoted-printable\r\n\r\nh=C3=A9\r\n--b1--\r\n");
    }

    /** A boundary given twice with different values, in whichever forms, is none: readers take different ones. */
    @Test
    void aBoundaryGivenTwiceDifferentlyIsNone() throws IOException {
        String parts = "\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nh\u00e9\r\n--b1--\r\n--b2--\r\n";
        for (String type : new String[] {"boundary=b1; boundary=b2", "boundary=b1; BOUNDARY=b2", "boundary*=''b1; boundary*0=b2",
                "boundary*0=b1; boundary*0*=''b2", "boundary*=''b1; boundary*=''b2", "boundary=b1; boundary*=''b1; boundary*0=b2"}) {
            assertThat(unconvertible("Content-Type: multipart/mixed; " + type + parts)).as(type).contains("boundary");
        }
        for (String type : new String[] {"boundary=b1; boundary=b1", "boundary=b1; Boundary*=''b%31", "boundary*0=b1; boundary*0*=us-ascii''b%31"}) {
            assertThat(converted("Content-Type: multipart/mixed; " + type + parts)).as(type)
                    .endsWith("quoted-printable\r\n\r\nh=C3=A9\r\n--b1--\r\n--b2--\r\n");
        }
    }

    /**
     * RFC 2231 segments are joined by readers whatever their numbering (Python's email joins {@code *0} and {@code *01},
     * a {@code *2} after a gap, a {@code *1} after a plain value, and reads past {@code *99}); only {@code *0},
     * {@code *1}... up from nought were read, the others dropped unsaid, so the boundary taken was another than
     * theirs. Segments numbered otherwise than 0, 1, 2... with none missing are now no boundary; as many as there are
     * in a row are joined.
     */
    @Test
    void aBoundaryInSegmentsNumberedOtherwiseThanInARowIsNone() throws IOException {
        for (String type : new String[] {"boundary*0=\"a\"; boundary*01=\"b\"", "boundary*0=\"a\"; boundary*2=\"c\"",
                "boundary=\"a\"; boundary*1=\"b\"", "boundary*1=\"b\"", "boundary*0=a; boundary*00=a", "boundary*0=a; boundary*1*=b; boundary*3=d",
                "boundary*0=a; boundary*99999999999999999999=b"}) {
            assertThat(boundary("multipart/mixed; " + type)).as(type).isNull();
        }
        String parts = "\r\n\r\n--ab\r\nContent-Type: text/plain\r\n\r\nh\u00e9\r\n--ab--\r\n";
        assertThat(unconvertible("Content-Type: multipart/mixed; boundary*0=\"a\"; boundary*01=\"b\"" + parts)).contains("boundary");
        StringBuilder many = new StringBuilder("multipart/mixed");
        for (int k = 0; k <= 100; k++) many.append("; boundary*").append(k).append('=').append(k % 10);
        assertThat(boundary(many.toString())).isEqualTo("0123456789".repeat(10) + "0");
        assertThat(boundary("multipart/mixed; boundary*1=b; boundary*0*=''a; boundary*2=c")).as("in any order").isEqualTo("abc");
    }

    /**
     * A bare word among the parameters ({@code format}, a field pasted in as {@code Content-Transfer-Encoding: 8bit})
     * made the boundary unreadable, and such a message was returned by hops without 8BITMIME; every reader splits it
     * the same way, so it is skipped. A part with quotes, or a name that is no token before its '=', still is none.
     */
    @Test
    void aBareWordAmongTheParametersIsSkipped() throws IOException {
        String parts = "\r\n\r\n--ab\r\nContent-Type: text/plain\r\n\r\nh\u00e9\r\n--ab--\r\n";
        for (String type : new String[] {"boundary=\"ab\"; format", "boundary=\"ab\"; Content-Transfer-Encoding: 8bit", "format; boundary=ab"}) {
            assertThat(converted("Content-Type: multipart/mixed; " + type + parts)).as(type).endsWith("quoted-printable\r\n\r\nh=C3=A9\r\n--ab--\r\n");
        }
        for (String type : new String[] {"boundary=ab; \"quoted\"=1", "boundary=ab; =1", "boundary=ab; x-\u00e9=1", "boundary=ab; fo\"rmat\"",
                "boundary=ab; a b=1"}) {
            assertThat(boundary("multipart/mixed; " + type)).as(type).isNull();
        }
    }

    /**
     * A quoted boundary's leading blanks are the boundary's (RFC 2046 allows a space in one, only not last): they were
     * trimmed, so the delimiter "-- ab" was no delimiter and the 8-bit part went out as preamble, unencoded. Trailing
     * blanks are dropped, as Python's email drops them: a boundary cannot end in one, and a delimiter line's trailing
     * blanks are padding that matching ignores anyway.
     */
    @Test
    void aQuotedBoundaryKeepsItsLeadingBlanks() throws IOException {
        assertThat(boundary("multipart/mixed; boundary=\" ab\"")).isEqualTo(" ab");
        assertThat(boundary("multipart/mixed; boundary=\"ab \t\"")).isEqualTo("ab");
        assertThat(boundary("multipart/mixed; boundary=\"  \"")).isNull();
        String out = converted("Content-Type: multipart/mixed; boundary=\" ab\"\r\n\r\n-- ab\r\nContent-Type: text/plain\r\n\r\nh\u00e9\r\n-- ab--\r\n");
        assertThat(out).endsWith("quoted-printable\r\n\r\nh=C3=A9\r\n-- ab--\r\n");
    }

    /** The boundary a Content-Type value declares, as the conversion reads it; null for none. */
    private static String boundary(String contentType) {
        byte[] b = EntityHeader.read(("Content-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8), 0).boundary();
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Encoded, a line that was no delimiter must not become one: a "-" starting a quoted-printable line is =2D. */
    @Test
    void aLineStartingWithDashesNeverBecomesABoundaryOnceEncoded() throws IOException {
        String out = converted("Content-Type: multipart/mixed; boundary=\"x=C3=A9y\"\r\n\r\n--x=C3=A9y\r\nContent-Type: text/plain\r\n\r\n"
                + "hello\r\n--x\u00e9y\r\nsecret tail\r\n--x=C3=A9y--\r\n");
        assertThat(out).contains("\r\n\r\nhello\r\n=2D-x=C3=A9y\r\nsecret tail\r\n--x=C3=A9y--\r\n");
    }

    /** A label with a comment, quotes or a ";" still names its mechanism; an unknown one over 8-bit content is taken as 8bit. */
    @Test
    void aTransferEncodingIsItsFirstTokenAndAnUnknownOneOverEightBitIsConverted() throws IOException {
        for (String label : new String[]{"8bit (it is)", "\"8bit\"", "8bit;", " 8BIT ", "x-unknown"}) {
            String out = converted("Content-Transfer-Encoding: " + label + "\r\n\r\n\u00e9\r\n");
            assertThat(out).as(label).isEqualTo("MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\r\n");
        }
        assertThat(unconvertible("Content-Transfer-Encoding: base64 (so it says)\r\n\r\nAA\u00e9=\r\n")).contains("already encoded");
    }

    /** A container labelled with an encoding is a leaf, checked as it is (Postfix's way), not walked into and encoded twice. */
    @Test
    void anEncodedContainerIsNotWalkedInto() throws IOException {
        String multipart = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "--b\r\n\r\n\u00e9=41\r\n--b--\r\n";
        assertThat(unconvertible(multipart)).contains("already encoded");
        String message = "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nSubject: s\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n\u00e9\r\n";
        assertThat(unconvertible(message)).contains("already encoded");
        String ascii = multipart.replace("\u00e9", "e");
        assertThat(converted(ascii)).isEqualTo(ascii);
    }

    /** RFC 2045 section 4: an enclosed message whose body gets a label declares MIME-Version, as the primary one does. */
    @Test
    void anEnclosedMessageThatGetsALabelGetsMimeVersionToo() throws IOException {
        String out = converted("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: fwd\r\n\r\n\u00e9\r\n--b--\r\n");
        assertThat(out).isEqualTo("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
                + "Subject: fwd\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9\r\n--b--\r\n");
    }

    /** RFC 2045 section 6.7 (4): in content that is not text, CR and LF are octets, encoded, not line breaks. */
    @Test
    void lineEndsOfNonTextContentAreEncoded() throws IOException {
        String out = converted("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\u00e9A\r\nB\nC\rD");
        assertThat(out).isEqualTo("Content-Type: application/octet-stream\r\nMIME-Version: 1.0\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9A=0D=0A=\r\nB=0A=\r\nC=0D=\r\nD");
        // the line end before a delimiter is the delimiter's
        String part = converted("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/x-thing\r\n\r\n"
                + "\u00e9\r\nx\r\n--b--\r\n");
        assertThat(part).endsWith("Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9=0D=0A=\r\nx\r\n--b--\r\n");
    }

    /** Whatever the input, the conversion neither throws nor leaves an 8-bit octet outside the primary header. */
    @Test
    void arbitraryOctetsNeverBreakTheConversion() throws IOException {
        Random random = new Random(6152);
        String[] pieces = {"--b\r\n", "--b--\r\n", "Content-Type: multipart/mixed; boundary=b\r\n", "Content-Type: message/rfc822\r\n",
                "Content-Transfer-Encoding: 8bit\r\n", "Content-Transfer-Encoding: base64\r\n", "\r\n", "\n", "\r", " folded\r\n",
                "\u00e9t\u00e9 ", "x".repeat(90), "=", "-", "Subject: s\r\n"};
        for (int round = 0; round < 2000; round++) {
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            m.writeBytes("Subject: s\r\n".getBytes(StandardCharsets.US_ASCII));
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                if (random.nextInt(10) == 0) m.write(random.nextInt(256));
                else m.writeBytes(pieces[random.nextInt(pieces.length)].getBytes(StandardCharsets.UTF_8));
            }
            byte[] message = m.toByteArray();
            SevenBitDowngrade.Result r = SevenBitDowngrade.of(message);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            r.content().writeTo(out);
            assertThat(out.size()).isEqualTo(r.content().size());
            if (r.unconvertible() != null) continue;
            byte[] o = out.toByteArray();
            int headerEnd = sluice.core.mail.Headers.headerLength(o);
            for (int i = headerEnd; i < o.length; i++) assertThat(o[i]).as("round %d octet %d", round, i).isNotNegative();
        }
    }
}
