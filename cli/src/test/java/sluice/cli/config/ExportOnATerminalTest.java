package sluice.cli.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.cli.testing.FakeApi;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant names its connectors and writes their comments; {@code config export} shown on an administrator's
 * terminal must not let a bidi override, a zero-width space, NEL or U+2028 make the YAML read other than it
 * is. Sent to a pipe or a file, the YAML is exact, to be imported again.
 */
class ExportOnATerminalTest {

    private static final String CONTOSO = "11111111-1111-1111-1111-111111111111";
    // U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE, U+0085 NEL, U+2028 LINE SEPARATOR, ESC
    private static final String HOSTILE = "relay\u202e\u200b\u0085\u2028\u001b[2Jx";

    private static FakeApi api() throws Exception {
        String empty = "{\"items\":[]}";
        return new FakeApi()
                .on("GET /organizations", "{\"items\":[{\"id\":\"" + CONTOSO + "\",\"name\":\"Contoso\",\"rejectDirectSend\":false}]}")
                .on("GET /organizations/" + CONTOSO, "{\"id\":\"" + CONTOSO + "\",\"name\":\"Contoso\",\"rejectDirectSend\":false}")
                .on("GET /domains", empty).on("GET /mailboxes", empty).on("GET /connectors/inbound", empty).on("GET /rules", empty)
                .on("GET /connectors/outbound", "{\"items\":[{\"id\":\"o1\",\"name\":\"partner\",\"connectorType\":\"Partner\","
                        + "\"comment\":\"" + HOSTILE.replace("\u001b", "\\u001b") + "\",\"smartHosts\":[\"mx.partner.example\"]}]}")
                .on("GET /policies/connection-filter/" + CONTOSO, "{}")
                .on("GET /policies/anti-spam/" + CONTOSO, "{}")
                .on("GET /policies/anti-malware/" + CONTOSO, "{}");
    }

    @Test
    void onATerminalTheTenantsTextIsEscaped() throws Exception {
        try (FakeApi api = api()) {
            FakeApi.Run r = api.sluiceOnATerminal("config", "export", "--organization", "Contoso");
            assertThat(r.exit()).as(r.toString()).isZero();
            // the YAML writer escapes NEL, U+2028 and ESC itself (\N, \L, \e) but not format characters
            assertThat(r.out()).contains("    comment: \"relay\\u202e\\u200b\\N\\L\\e[2Jx\"\n")
                    .doesNotContain("\u202e").doesNotContain("\u200b").doesNotContain("\u0085").doesNotContain("\u2028")
                    .doesNotContain("\u001b");
            assertThat(r.out()).contains("\n  - name: partner\n");
        }
    }

    @Test
    void redirectedOrToAFileTheYamlIsExact(@TempDir Path dir) throws Exception {
        try (FakeApi api = api()) {
            FakeApi.Run piped = api.sluice("config", "export", "--organization", "Contoso");
            assertThat(piped.exit()).as(piped.toString()).isZero();
            Path file = dir.resolve("contoso.yaml");
            FakeApi.Run toFile = api.sluiceOnATerminal("config", "export", "--organization", "Contoso", "-f", file.toString());
            assertThat(toFile.exit()).as(toFile.toString()).isZero();
            assertThat(Files.readString(file)).isEqualTo(piped.out());
            ConfigFile read = ConfigFile.of(Yaml.read(file));
            assertThat(read.objects(Kind.OUTBOUND).getFirst().path("comment").asText()).isEqualTo(HOSTILE);
        }
    }
}
