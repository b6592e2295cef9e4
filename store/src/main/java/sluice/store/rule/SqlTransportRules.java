package sluice.store.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.org.Directory.Conflict;
import sluice.core.org.Directory.NotFound;
import sluice.core.rule.RuleActions;
import sluice.core.rule.RuleOrder;
import sluice.core.rule.RulePredicates;
import sluice.core.rule.TransportRule;
import sluice.core.rule.TransportRules;
import sluice.store.db.Dialect;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;
import sluice.store.directory.SqlDirectory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mail flow rules on SQL with an in-memory copy per organization, rebuilt after each committed write:
 * every message asks for its organization's rules. Writes run under the directory's write lock
 * ({@link SqlDirectory#withOrganization}), so a rule never outlives its organization and two writes
 * never renumber the same organization at once. A stored rule holding what newer checks refuse (a
 * control character in a setHeader value, a setHeader now refused, a word of invisible characters only) is loaded without it, with a
 * warning, so that it stays listed, editable and deletable; a condition left with no word disables the rule
 * until it is saved. A stored rule that does not parse at all is logged and left out (it is not applied)
 * rather than stopping mail.
 */
public final class SqlTransportRules implements TransportRules {

    private static final Logger LOG = LoggerFactory.getLogger(SqlTransportRules.class);
    /** Record components only: helpers such as {@code isEmpty()} are not stored fields. */
    private static final ObjectMapper JSON = JsonMapper.builder().disable(MapperFeature.AUTO_DETECT_IS_GETTERS).build();
    private static final List<String> WORD_LISTS = List.of("subjectContainsWords", "subjectOrBodyContainsWords",
            "attachmentExtensionMatchesWords");
    private static final String COLUMNS = "id, organization_id, name, name_key, priority, enabled, comment, conditions, exceptions, actions";

    private final GroupCommitWriter writer;
    private final Dialect dialect;
    private final SqlDirectory directory;
    private final Map<String, TransportRule> byId = new ConcurrentHashMap<>();
    private volatile Map<String, List<TransportRule>> byOrganization = Map.of();
    /** Rules loaded disabled because cleaning emptied a condition, by id (see {@link LostCondition}). */
    private final Map<String, LostCondition> lostConditions = new ConcurrentHashMap<>();

    /**
     * What is left of a rule a condition of which had only invisible words: loaded without the condition it would
     * match every message, so it is loaded disabled and may not be enabled until its conditions are given again.
     * Saved with its conditions unchanged (renamed, say) it keeps the conditions as they were stored, so this holds
     * after a restart too; its comment shows why in the API while it lasts.
     */
    private record LostCondition(RulePredicates cleaned, String stored) {
    }

    static final String LOST_NOTE = "[disabled when loaded: a condition had only invisible words, so it can match nothing;"
            + " give the rule's conditions again to enable it]";

    public SqlTransportRules(GroupCommitWriter writer, ReadPool readers, Dialect dialect, SqlDirectory directory) {
        this.writer = writer;
        this.dialect = dialect;
        this.directory = directory;
        readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM transport_rules");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) load(rs);
            }
            return null;
        });
        publish();
        directory.addDependents("mail flow rule(s)", org -> rules(org).size());
    }

    private void load(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        String organizationId = rs.getString("organization_id");
        try {
            List<String> cleaned = new ArrayList<>();
            JsonNode conditions = JSON.readTree(rs.getString("conditions"));
            JsonNode exceptions = JSON.readTree(rs.getString("exceptions"));
            JsonNode actions = JSON.readTree(rs.getString("actions"));
            boolean conditionLost = dropInvisibleWords(conditions, "conditions", cleaned);
            dropInvisibleWords(exceptions, "exceptions", cleaned);
            cleanHeaderValue(actions, cleaned);
            boolean enabled = rs.getInt("enabled") != 0 && !conditionLost;
            RulePredicates kept = JSON.treeToValue(conditions, RulePredicates.class);
            if (conditionLost) lostConditions.put(id, new LostCondition(kept, rs.getString("conditions")));
            String comment = conditionLost ? noted(rs.getString("comment")) : rs.getString("comment");
            TransportRule rule = new TransportRule(id, organizationId, rs.getString("name"), rs.getInt("priority"), enabled,
                    comment, kept,
                    JSON.treeToValue(exceptions, RulePredicates.class), JSON.treeToValue(actions, RuleActions.class));
            byId.put(id, rule);
            // the values themselves stay out of the log: they are the organization's
            if (!cleaned.isEmpty())
                LOG.warn("mail flow rule '{}' ({}) of organization {} was stored with what rules may no longer hold; loaded without"
                        + " it: {}{}. Saving the rule stores it so.", rule.name(), id, organizationId, String.join(", ", cleaned),
                        conditionLost ? "; a condition had only such words, so it can match nothing: the rule is loaded disabled" : "");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.error("stored mail flow rule {} of organization {} is unreadable and is not applied until it is saved again: {}",
                    id, organizationId, e.getMessage());
        }
    }

    /**
     * Drops the words a reader cannot see (only format or other default-ignorable characters) from the word
     * lists of stored predicates: such a word never matches, and new rules refuse it
     * ({@link RulePredicates#visible}). Returns true when a list had only such words.
     */
    private static boolean dropInvisibleWords(JsonNode predicates, String which, List<String> cleaned) {
        boolean emptied = false;
        for (String field : WORD_LISTS) {
            if (!(predicates.get(field) instanceof ArrayNode words)) continue;
            int before = words.size();
            for (int i = words.size() - 1; i >= 0; i--)
                if (words.get(i).isTextual() && !RulePredicates.visible(words.get(i).asText())) words.remove(i);
            if (words.size() == before) continue;
            cleaned.add((before - words.size()) + " invisible word(s) of " + which + "." + field);
            emptied |= words.isEmpty();
        }
        return emptied;
    }

    private static void cleanHeaderValue(JsonNode actions, List<String> cleaned) {
        if (!(actions instanceof ObjectNode all) || !(all.get("setHeader") instanceof ObjectNode header) || !header.path("value").isTextual()) return;
        String value = header.get("value").asText();
        String text = RuleActions.SetHeader.text(value);
        if (!text.equals(value)) {
            header.put("value", text);
            cleaned.add("control characters or unpaired surrogates of setHeader.value");
        }
        String name = header.path("name").asText();
        if (name.matches("[!-9;-~]{1,76}") && RuleActions.SetHeader.refusal(name, text) != null) {
            all.remove("setHeader");
            cleaned.add("its setHeader of " + name + ", which a rule may no longer set so");
        }
    }

    @Override
    public List<TransportRule> rules(String organizationId) {
        return byOrganization.getOrDefault(organizationId, List.of());
    }

    @Override
    public Optional<TransportRule> rule(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public TransportRule create(TransportRule rule) {
        return save(rule.withId(UUID.randomUUID().toString()), true);
    }

    @Override
    public TransportRule update(TransportRule rule) {
        return save(rule, false);
    }

    @Override
    public void delete(String id) {
        TransportRule old = byId.get(id);
        if (old == null) throw new NotFound("no mail flow rule " + id);
        directory.withOrganization(old.organizationId(), () -> {
            if (!byId.containsKey(id)) throw new NotFound("no mail flow rule " + id);
            List<TransportRule> rest = RuleOrder.without(rules(old.organizationId()), id);
            writer.write(dialect.refusingDuplicates(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM transport_rules WHERE id = ?")) {
                    s.setString(1, id);
                    s.executeUpdate();
                }
                renumber(c, rest);
                return null;
            }, Conflict::new));
            byId.remove(id);
            lostConditions.remove(id);
            rest.forEach(r -> byId.put(r.id(), r));
            publish();
            return null;
        });
    }

    /**
     * Whether two sets of conditions say the same, lists compared as sets: a client that sorts or reorders the
     * conditions it was shown has not given new ones (a reordered copy would re-enable a rule whose condition was lost).
     */
    static boolean sameConditions(RulePredicates a, RulePredicates b) {
        return asSet(a.fromAddresses()).equals(asSet(b.fromAddresses()))
                && asSet(a.senderDomainIs()).equals(asSet(b.senderDomainIs()))
                && asSet(a.recipientAddresses()).equals(asSet(b.recipientAddresses()))
                && asSet(a.recipientDomainIs()).equals(asSet(b.recipientDomainIs()))
                && java.util.Objects.equals(a.fromScope(), b.fromScope())
                && java.util.Objects.equals(a.sentToScope(), b.sentToScope())
                && asSet(a.subjectContainsWords()).equals(asSet(b.subjectContainsWords()))
                && asSet(a.subjectOrBodyContainsWords()).equals(asSet(b.subjectOrBodyContainsWords()))
                && samePattern(a.headerMatchesPatterns(), b.headerMatchesPatterns())
                && asSet(a.attachmentExtensionMatchesWords()).equals(asSet(b.attachmentExtensionMatchesWords()))
                && java.util.Objects.equals(a.sclOver(), b.sclOver());
    }

    private static java.util.Set<String> asSet(List<String> l) {
        return l == null ? java.util.Set.of() : new java.util.HashSet<>(l);
    }

    private static boolean samePattern(RulePredicates.HeaderPattern a, RulePredicates.HeaderPattern b) {
        if (a == null || b == null) return a == b;
        return a.name().equalsIgnoreCase(b.name()) && asSet(a.patterns()).equals(asSet(b.patterns()));
    }

    /** Check against the cache, commit the rule and the others' new priorities, then update the cache. */
    private TransportRule save(TransportRule given, boolean insert) {
        return directory.withOrganization(given.organizationId(), () -> {
            LostCondition lost = insert ? null : lostConditions.get(given.id());
            boolean stillLost = lost != null && sameConditions(given.conditions(), lost.cleaned());
            if (stillLost && given.enabled())
                throw new IllegalArgumentException("conditions: a condition of this rule had only invisible words and can match"
                        + " nothing; without it the rule would match every message. Give the rule's conditions to enable it");
            String comment = lost == null ? given.comment() : unnoted(given.comment());
            TransportRule rule = new TransportRule(given.id(), given.organizationId(), given.name(), given.priority(),
                    given.enabled(), stillLost ? noted(comment) : comment, given.conditions(), given.exceptions(), given.actions());
            String conditions = stillLost ? lost.stored() : json(rule.conditions());
            if (!insert) {
                TransportRule old = byId.get(rule.id());
                if (old == null) throw new NotFound("no mail flow rule " + rule.id());
                if (!old.organizationId().equals(rule.organizationId()))
                    throw new IllegalArgumentException("a rule cannot move to another organization; delete and re-create it");
            }
            if (rules(rule.organizationId()).stream().anyMatch(r -> !r.id().equals(rule.id()) && key(r.name()).equals(key(rule.name()))))
                throw new Conflict("a mail flow rule named '" + rule.name() + "' already exists in this organization");
            List<TransportRule> placed = RuleOrder.place(rules(rule.organizationId()), rule);
            TransportRule saved = placed.stream().filter(r -> r.id().equals(rule.id())).findFirst().orElseThrow();
            // a unique violation the cache did not foresee (another node) is a Conflict
            writer.write(dialect.refusingDuplicates(c -> {
                upsert(c, saved, comment, conditions, insert);
                renumber(c, placed);
                return null;
            }, Conflict::new));
            placed.forEach(r -> byId.put(r.id(), r));
            if (lost != null && !stillLost) lostConditions.remove(rule.id());
            publish();
            return saved;
        });
    }

    private static String noted(String comment) {
        return comment == null || comment.isBlank() ? LOST_NOTE : comment + " " + LOST_NOTE;
    }

    private static String unnoted(String comment) {
        if (comment == null) return null;
        String left = comment.replace(LOST_NOTE, "").strip();
        return left.isEmpty() ? null : left;
    }

    private static void upsert(Connection c, TransportRule r, String comment, String conditions, boolean insert) throws SQLException {
        String sql = insert ? "INSERT INTO transport_rules (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)"
                : "UPDATE transport_rules SET organization_id = ?, name = ?, name_key = ?, priority = ?, enabled = ?, "
                + "comment = ?, conditions = ?, exceptions = ?, actions = ? WHERE id = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (insert) s.setString(i++, r.id());
            s.setString(i++, r.organizationId());
            s.setString(i++, r.name());
            s.setString(i++, key(r.name()));
            s.setInt(i++, r.priority());
            s.setInt(i++, r.enabled() ? 1 : 0);
            s.setString(i++, comment);
            s.setString(i++, conditions);
            s.setString(i++, json(r.exceptions()));
            s.setString(i++, json(r.actions()));
            if (!insert) s.setString(i, r.id());
            if (s.executeUpdate() != 1) throw new NotFound("no mail flow rule " + r.id());
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a mail flow rule could not be written as JSON", e);
        }
    }

    /** Writes the priorities of {@code ordered} (cheap: an organization has few rules). */
    private static void renumber(Connection c, List<TransportRule> ordered) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE transport_rules SET priority = ? WHERE id = ?")) {
            for (TransportRule r : ordered) {
                s.setInt(1, r.priority());
                s.setString(2, r.id());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private void publish() {
        Map<String, List<TransportRule>> next = new ConcurrentHashMap<>();
        byId.values().stream().sorted(Comparator.comparingInt(TransportRule::priority))
                .forEach(r -> next.computeIfAbsent(r.organizationId(), k -> new java.util.ArrayList<>()).add(r));
        next.replaceAll((k, v) -> List.copyOf(v));
        byOrganization = Map.copyOf(next);
    }

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
