package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Option;
import sluice.cli.CliException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static sluice.cli.commands.CommonConnectorFields.putIfGiven;

/**
 * A mail flow rule's conditions, exceptions and actions as options (Exchange's New-TransportRule
 * parameters). Given options are laid over the rule's current conditions and actions, so
 * {@code rule set} changes only what it names.
 */
public final class RuleFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--from", split = ",", paramLabel = "ADDRESS", description = "Condition: the sender is one of these addresses.")
    List<String> from;

    @Option(names = "--sender-domain", split = ",", paramLabel = "DOMAIN", description = "Condition: the sender's domain is one of these.")
    List<String> senderDomain;

    @Option(names = "--recipient", split = ",", paramLabel = "ADDRESS", description = "Condition: a recipient is one of these addresses.")
    List<String> recipient;

    @Option(names = "--recipient-domain", split = ",", paramLabel = "DOMAIN", description = "Condition: a recipient's domain is one of these.")
    List<String> recipientDomain;

    @Option(names = "--from-scope", paramLabel = "SCOPE", description = "Condition: the sender is InOrganization or NotInOrganization.")
    String fromScope;

    @Option(names = "--sent-to-scope", paramLabel = "SCOPE", description = "Condition: a recipient is InOrganization or NotInOrganization.")
    String sentToScope;

    @Option(names = "--subject-contains", split = ",", paramLabel = "WORDS", description = "Condition: the subject contains one of these words or phrases.")
    List<String> subjectContains;

    @Option(names = "--subject-or-body-contains", split = ",", paramLabel = "WORDS",
            description = "Condition: the subject or the text body contains one of these words or phrases.")
    List<String> subjectOrBodyContains;

    @Option(names = "--header-matches", paramLabel = "NAME=REGEX", description = "Condition: the header field NAME matches REGEX (repeat for more patterns of the same field).")
    List<String> headerMatches;

    @Option(names = "--attachment-extension", split = ",", paramLabel = "EXT", description = "Condition: an attachment has one of these extensions.")
    List<String> attachmentExtension;

    @Option(names = "--scl-over", paramLabel = "N", description = "Condition: the spam confidence level is N or higher (checked after anti-spam).")
    Integer sclOver;

    @Option(names = "--except", paramLabel = "CONDITION=VALUE",
            description = "Exception, by the API's condition name, e.g. senderDomainIs=fabrikam.example or fromScope=InOrganization (repeatable; commas separate list values).")
    List<String> except;

    @Option(names = "--reject", paramLabel = "TEXT", description = "Action: refuse with 550 <code> TEXT.")
    String reject;

    @Option(names = "--reject-code", paramLabel = "CODE", description = "The enhanced status code of --reject: 5.7.1 (default) or 5.7.900-5.7.999.")
    String rejectCode;

    @Option(names = "--delete", description = "Action: accept the message and delete it silently.")
    boolean delete;

    @Option(names = "--quarantine", description = "Action: hold the message in quarantine.")
    boolean quarantine;

    @Option(names = "--redirect-to", split = ",", paramLabel = "ADDRESS", description = "Action: deliver to these recipients instead.")
    List<String> redirectTo;

    @Option(names = "--add-bcc", split = ",", paramLabel = "ADDRESS", description = "Action: add these recipients.")
    List<String> addBcc;

    @Option(names = "--set-scl", paramLabel = "N", description = "Action: set the SCL (-1 bypasses spam filtering, 0-9).")
    Integer setScl;

    @Option(names = "--set-header", paramLabel = "NAME=VALUE", description = "Action: add the header field NAME: VALUE.")
    String setHeader;

    @Option(names = "--prepend-subject", paramLabel = "TEXT", description = "Action: put TEXT before the subject.")
    String prependSubject;

    @Option(names = "--route-using-connector", paramLabel = "NAME|ID",
            description = "Action: send recipients that are not hosted mailboxes through this outbound connector.")
    String routeUsingConnector;

    @Option(names = "--stop", negatable = true, description = "Action: do not run later rules on a matching message.")
    Boolean stop;

    /** {@code current}'s conditions, exceptions and actions with the given options laid over them. */
    void put(Map<String, Object> body, JsonNode current) {
        Map<String, Object> conditions = map(current, "conditions");
        putIfGiven(conditions, "fromAddresses", from);
        putIfGiven(conditions, "senderDomainIs", senderDomain);
        putIfGiven(conditions, "recipientAddresses", recipient);
        putIfGiven(conditions, "recipientDomainIs", recipientDomain);
        putIfGiven(conditions, "fromScope", fromScope);
        putIfGiven(conditions, "sentToScope", sentToScope);
        putIfGiven(conditions, "subjectContainsWords", subjectContains);
        putIfGiven(conditions, "subjectOrBodyContainsWords", subjectOrBodyContains);
        putIfGiven(conditions, "attachmentExtensionMatchesWords", attachmentExtension);
        putIfGiven(conditions, "sclOver", sclOver);
        if (headerMatches != null) conditions.put("headerMatchesPatterns", headerPatterns(headerMatches));
        Map<String, Object> exceptions = map(current, "exceptions");
        if (except != null) for (String e : except) exception(exceptions, e);
        Map<String, Object> actions = map(current, "actions");
        if (reject != null || rejectCode != null) actions.put("rejectMessage", rejection(actions));
        if (delete) actions.put("deleteMessage", true);
        if (quarantine) actions.put("quarantine", true);
        putIfGiven(actions, "redirectTo", redirectTo);
        putIfGiven(actions, "addBcc", addBcc);
        putIfGiven(actions, "setScl", setScl);
        if (setHeader != null) {
            String[] kv = pair("--set-header", setHeader);
            actions.put("setHeader", Map.of("name", kv[0], "value", kv[1]));
        }
        putIfGiven(actions, "prependSubject", prependSubject);
        putIfGiven(actions, "routeUsingConnector", routeUsingConnector);
        putIfGiven(actions, "stopProcessingRules", stop);
        body.put("conditions", conditions);
        body.put("exceptions", exceptions);
        body.put("actions", actions);
    }

    private Map<String, Object> rejection(Map<String, Object> actions) {
        Map<String, Object> r = new LinkedHashMap<>();
        Object old = actions.get("rejectMessage");
        if (old instanceof Map<?, ?> m) m.forEach((k, v) -> r.put(String.valueOf(k), v));
        putIfGiven(r, "reasonText", reject);
        putIfGiven(r, "enhancedStatusCode", rejectCode);
        return r;
    }

    /** {@code senderDomainIs=a,b}: list conditions split on commas, sclOver is a number, the scopes a word. */
    private static void exception(Map<String, Object> exceptions, String given) {
        String[] kv = pair("--except", given);
        switch (kv[0]) {
            case "fromScope", "sentToScope" -> exceptions.put(kv[0], kv[1]);
            case "sclOver" -> exceptions.put(kv[0], Integer.valueOf(kv[1]));
            case "headerMatchesPatterns" -> exceptions.put(kv[0], headerPatterns(List.of(kv[1])));
            default -> exceptions.put(kv[0], List.of(kv[1].split(",")));
        }
    }

    private static Map<String, Object> headerPatterns(List<String> given) {
        String name = null;
        List<String> patterns = new java.util.ArrayList<>();
        for (String g : given) {
            String[] kv = pair("--header-matches", g);
            if (name != null && !name.equalsIgnoreCase(kv[0]))
                throw new CliException("--header-matches: one header field per rule (got " + name + " and " + kv[0] + ")");
            name = kv[0];
            patterns.add(kv[1]);
        }
        return Map.of("name", name, "patterns", patterns);
    }

    private static String[] pair(String option, String given) {
        int eq = given.indexOf('=');
        if (eq <= 0) throw new CliException(option + " needs NAME=VALUE, not '" + given + "'");
        return new String[]{given.substring(0, eq).strip(), given.substring(eq + 1)};
    }

    /** The object {@code field} of the current rule without its unset (null or empty) entries; empty for a new rule. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonNode current, String field) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (current == null || !current.has(field)) return out;
        Map<String, Object> all = JSON.convertValue(current.get(field), Map.class);
        all.forEach((k, v) -> {
            boolean unset = v == null || Boolean.FALSE.equals(v) || (v instanceof List<?> l && l.isEmpty());
            if (!unset) out.put(k, v);
        });
        return out;
    }
}
