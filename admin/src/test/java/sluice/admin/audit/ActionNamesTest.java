package sluice.admin.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActionNamesTest {

    @Test
    void actionsAreNamedAfterTheRouteInTheSingular() {
        assertThat(ActionNames.of("POST", "/api/v1/organizations")).isEqualTo("organization.create");
        assertThat(ActionNames.of("PATCH", "/api/v1/connectors/outbound/{id}")).isEqualTo("connector.outbound.update");
        assertThat(ActionNames.of("DELETE", "/api/v1/mailboxes/{id}")).isEqualTo("mailbox.delete");
        assertThat(ActionNames.of("PATCH", "/api/v1/policies/anti-spam/{organizationId}")).isEqualTo("policy.anti-spam.update");
        assertThat(ActionNames.of("POST", "/api/v1/queue/{id}/retry")).isEqualTo("queue.retry");
        assertThat(ActionNames.of("POST", "/api/v1/quarantine/{id}/release")).isEqualTo("quarantine.release");
        assertThat(ActionNames.of("POST", "/api/v1/connectors/outbound/{id}/validate")).isEqualTo("connector.outbound.validate");
    }

    @Test
    void secretsAreRedactedAtAnyDepthButFlagsAboutThemStay() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"password": "p", "passwordSet": true, "nested": {"secret": "s", "list": [{"csrfToken": "c"}]},
                 "tokens": 3, "name": "n", "currentPassword": null}""");

        assertThat(Changes.redact(json).toString()).isEqualTo("""
                {"password":"***","passwordSet":true,"nested":{"secret":"***","list":[{"csrfToken":"***"}]},\
                "tokens":3,"name":"n","currentPassword":null}""");
    }
}
