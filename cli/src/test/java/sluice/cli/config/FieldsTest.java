package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import sluice.cli.CliException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How file entries become desired state, and what counts as a difference. */
class FieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void leftOutFieldsMeanTheDefault() throws Exception {
        ObjectNode d = Fields.desired(JSON.readTree("{\"name\":\"x\",\"connectorType\":\"Partner\",\"useMxRecord\":true}"),
                Kind.OUTBOUND.fields(), Kind.OUTBOUND.softFields(), "outboundConnectors[0]");
        assertThat(d.path("enabled").asBoolean()).isTrue();
        assertThat(d.path("smartHosts")).isEmpty();
        assertThat(d.get("tlsSettings").isNull()).isTrue();
        assertThat(Fields.body(d).path("tlsSettings").asText()).isEqualTo("None");
        assertThat(Fields.body(d).path("comment").asText()).isEmpty();
    }

    @Test
    void softFieldsLeftOutAreNotCompared() throws Exception {
        ObjectNode d = Fields.desired(JSON.readTree("{\"address\":\"a@x.example\"}"), Kind.MAILBOX.fields(),
                Kind.MAILBOX.softFields(), "mailboxes[0]");
        JsonNode current = JSON.readTree("{\"address\":\"a@x.example\",\"displayName\":\"a\",\"aliases\":[],\"quotaBytes\":0}");
        assertThat(Fields.differences(d, current)).isEmpty();
    }

    @Test
    void numbersCompareByValueAndListsByOrder() throws Exception {
        JsonNode current = JSON.readTree("{\"address\":\"a@x.example\",\"aliases\":[\"b@x.example\"],\"quotaBytes\":2147483648}");
        ObjectNode same = Fields.desired(JSON.readTree("{\"address\":\"a@x.example\",\"aliases\":[\"b@x.example\"],\"quotaBytes\":2147483648}"),
                Kind.MAILBOX.fields(), Kind.MAILBOX.softFields(), "m");
        assertThat(Fields.differences(same, current)).isEmpty();
        ObjectNode other = Fields.desired(JSON.readTree("{\"address\":\"a@x.example\",\"quotaBytes\":0}"),
                Kind.MAILBOX.fields(), Kind.MAILBOX.softFields(), "m");
        assertThat(Fields.differences(other, current)).containsExactly("aliases", "quotaBytes");
    }

    @Test
    void typosAndMissingKeysAreErrors() throws Exception {
        assertThatThrownBy(() -> Fields.desired(JSON.readTree("{\"domainName\":\"a.example\",\"type\":\"x\"}"),
                Kind.DOMAIN.fields(), Kind.DOMAIN.softFields(), "acceptedDomains[1]"))
                .isInstanceOf(CliException.class).hasMessageContaining("acceptedDomains[1]: unknown field 'type'");
        assertThatThrownBy(() -> Fields.desired(JSON.readTree("{\"domainType\":\"Authoritative\"}"),
                Kind.DOMAIN.fields(), Kind.DOMAIN.softFields(), "acceptedDomains[0]"))
                .isInstanceOf(CliException.class).hasMessageContaining("'domainName' is required");
    }
}
