package sluice.cli.output;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import sluice.cli.testing.FakeApi;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant, a mail sender or a remote SMTP server writes text that an administrator's {@code sluice}
 * prints: a clipboard write (OSC 52), a screen clear (CSI), an 8-bit CSI, a hidden link (OSC 8), a
 * right-to-left override, DEL and a bare CR. Whatever path prints it, none of those characters may
 * reach the terminal raw, and the admin can see that they were there.
 */
class HostileServerTextTest {

    static final String HOSTILE = "a\u001b]52;c;cm0gLXJmIH4=\u0007b\u001b[2Jc\u009b31md\u202egnp.exe\u2066e"
            + "\u001b]8;;https://evil.example\u001b\\f\u007fg\rh\u200bi\u0000j";
    private static final ObjectNode JSON = JsonNodeFactory.instance.objectNode();
    private static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    /** The characters a terminal acts on or hides, listed here and not taken from the code under test. */
    static String raw(String printed) {
        return printed.codePoints().filter(cp -> cp < 0x20 && cp != '\n' || cp >= 0x7f && cp <= 0x9f
                        || cp >= 0x202a && cp <= 0x202e || cp >= 0x2066 && cp <= 0x2069 || cp == 0x200b)
                .mapToObj(cp -> String.format("U+%04X", cp)).collect(Collectors.joining(" "));
    }

    private static String text(ObjectNode n) {
        return n.toString();
    }

    @Test
    void aQueueTableShowsTheRemoteReplyEscaped() throws Exception {
        ObjectNode recipient = JSON.objectNode().put("address", "bob@fabrikam.example").put("state", "Deferred")
                .put("attempts", 2).put("lastReply", "451 " + HOSTILE);
        ObjectNode message = JSON.objectNode().put("id", "Q1").put("sender", HOSTILE);
        message.putArray("recipients").add(recipient);
        ObjectNode answer = JSON.objectNode();
        answer.putArray("items").add(message);
        try (FakeApi api = new FakeApi().on("GET /queue", text(answer))) {
            FakeApi.Run r = api.sluice("queue", "list");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(raw(r.out())).isEmpty();
            assertThat(r.out()).contains("a\\x1b]52;c;", "451 a\\x1b]52");
        }
    }

    /** Escaping must not cost people their text: accents, CJK, right-to-left scripts, emoji joined by ZWJ. */
    @Test
    void ordinaryTextOfEveryScriptIsLeftAsItIs() throws Exception {
        String name = "Grüße, 日本語, שלום, \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67, می\u200Cخواهم";
        try (FakeApi api = new FakeApi().on("GET /organizations/" + ID, text(JSON.objectNode().put("id", ID).put("name", name)))) {
            FakeApi.Run r = api.sluice("organization", "get", ID);
            assertThat(r.out()).contains("Name : " + name);
        }
    }

    @Test
    void aPropertyListShowsATenantChosenNameEscaped() throws Exception {
        try (FakeApi api = new FakeApi().on("GET /organizations/" + ID,
                text(JSON.objectNode().put("id", ID).put("name", HOSTILE).put("rejectDirectSend", true)))) {
            FakeApi.Run r = api.sluice("organization", "get", ID);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(raw(r.out())).isEmpty();
            assertThat(r.out()).contains("Name             : a\\x1b]52;c;cm0gLXJmIH4=\\x07b\\x1b[2Jc\\x9b31md\\u202egnp.exe\\u2066e"
                    + "\\x1b]8;;https://evil.example\\x1b\\f\\x7fg\\x0dh\\u200bi\\x00j");
        }
    }

    @Test
    void aTraceShowsSubjectSenderAndRepliesEscaped() throws Exception {
        ObjectNode event = JSON.objectNode().put("type", "Defer").put("at", "2025-01-31T08:00:00Z")
                .put("recipient", "bob@" + HOSTILE).put("sender", HOSTILE).put("subject", HOSTILE).put("messageId", HOSTILE)
                .put("remoteReply", "451-" + HOSTILE + "\r\n451 second line").put("detail", HOSTILE);
        ObjectNode detail = JSON.objectNode().put("networkMessageId", ID);
        detail.putArray("events").add(event);
        try (FakeApi api = new FakeApi().on("GET /trace/" + ID, text(detail))) {
            FakeApi.Run r = api.sluice("trace", "show", ID);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(raw(r.out())).isEmpty();
            assertThat(r.out()).contains("Subject          : a\\x1b]52", "Recipient bob@a\\x1b]52", "reply: 451-a\\x1b]52",
                    "reply: 451 second line");
        }
    }

    /** JSON is for scripts and stays exact: only escaped further, as JSON allows, so that it is harmless on a terminal too. */
    @Test
    void jsonOutputEscapesWhatTheTerminalWouldObeyAndStillMeansTheSame() throws Exception {
        ObjectNode detail = JSON.objectNode().put("networkMessageId", ID).put("subject", HOSTILE);
        try (FakeApi api = new FakeApi().on("GET /trace/" + ID, text(detail))) {
            FakeApi.Run json = api.sluice("trace", "show", ID, "-o", "json");
            assertThat(json.exit()).as(json.toString()).isZero();
            assertThat(raw(json.out())).isEmpty();
            assertThat(json.out()).contains("\\u009B31md\\u202Egnp.exe\\u2066e", "\\u007Fg");
            assertThat(sluice.cli.http.Api.JSON.readTree(json.out())).isEqualTo(detail);
        }
    }

    @Test
    void aQuarantinePreviewKeepsTheBodysLinesButNotItsControls() throws Exception {
        ObjectNode preview = JSON.objectNode().put("text", "Hello\r\n\tsee " + HOSTILE + "\nbye\n").put("fromHtml", false);
        preview.putArray("headers").add(JSON.objectNode().put("name", "Subject").put("value", HOSTILE));
        try (FakeApi api = new FakeApi().on("GET /quarantine/Q1/preview", text(preview))) {
            FakeApi.Run r = api.sluice("quarantine", "preview", "Q1");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(raw(r.out().replace("\t", ""))).isEmpty();
            assertThat(r.out()).contains("Subject: a\\x1b]52", "Hello\n\tsee a\\x1b]52", "g\\x0dh", "\nbye\n");
        }
    }

    @Test
    void aConnectorValidationShowsTheRemoteServersWordsEscaped() throws Exception {
        ObjectNode connector = JSON.objectNode().put("id", ID).put("name", HOSTILE).put("useMxRecord", false);
        connector.putArray("smartHosts").add("mail." + HOSTILE);
        ObjectNode host = JSON.objectNode().put("host", HOSTILE).put("succeeded", false).put("error", "550 " + HOSTILE);
        host.putArray("steps").add("EHLO: 250 " + HOSTILE);
        ObjectNode report = JSON.objectNode().put("succeeded", false).put("at", "2025-01-31T08:00:00Z");
        report.putArray("hosts").add(host);
        try (FakeApi api = new FakeApi().on("GET /connectors/outbound/" + ID, text(connector))
                .on("POST /connectors/outbound/" + ID + "/validate", text(report))) {
            FakeApi.Run r = api.sluice("connector", "validate", ID);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(raw(r.out())).isEmpty();
            assertThat(raw(r.err())).isEmpty();
            assertThat(r.out()).contains("Validation of a\\x1b]52", "EHLO: 250 a\\x1b]52", "error: 550 a\\x1b]52");
        }
    }

    @Test
    void anErrorThatQuotesTheServerIsEscaped() throws Exception {
        ObjectNode problem = JSON.objectNode().put("title", "Conflict").put("detail", HOSTILE);
        problem.putArray("errors").add(JSON.objectNode().put("pointer", "#/name").put("detail", "line\n" + HOSTILE));
        try (FakeApi api = new FakeApi().on("GET /trace/" + ID, 409, text(problem))) {
            FakeApi.Run r = api.sluice("trace", "show", ID);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(raw(r.err())).isEmpty();
            assertThat(r.err()).contains("sluice: Conflict: a\\x1b]52", "  name: line\\x0aa\\x1b]52");
        }
    }
}
