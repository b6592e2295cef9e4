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
 * warning and a note in its comment, so that it stays listed, editable and deletable; a condition left with no word,
 * or a rule left with no action, disables the rule until it is given them again. A stored rule that does not parse at
 * all is logged and listed disabled with no conditions and no action (it is not applied), rather than stopping mail:
 * it can be deleted (its organization too, then) but not edited. The notes are shown, never stored.
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
    /** Rules loaded disabled because cleaning dropped their only action: the actions as stored, by id. */
    private final Map<String, String> lostActions = new ConcurrentHashMap<>();
    /** Rules loaded without a setHeader they held, until they are saved (the note shows it). */
    private final java.util.Set<String> droppedHeaders = ConcurrentHashMap.newKeySet();
    /** Rules that could not be read at all: listed disabled, deletable, not editable. */
    private final java.util.Set<String> unreadable = ConcurrentHashMap.newKeySet();

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
    static final String LOST_ACTION_NOTE = "[disabled when loaded: its only action was a setHeader that rules may no longer set;"
            + " give the rule an action to enable it]";
    static final String DROPPED_HEADER_NOTE = "[loaded without its setHeader, which rules may no longer set; saving the rule"
            + " stores it without]";
    static final String UNREADABLE_NOTE = "[not applied: the stored rule could not be read (the server log says why);"
            + " delete it and create it again]";
    private static final List<String> NOTES = List.of(LOST_NOTE, LOST_ACTION_NOTE, DROPPED_HEADER_NOTE, UNREADABLE_NOTE);

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
            boolean headerDropped = cleanHeaderValue(actions, cleaned);
            RuleActions kept = headerDropped ? withoutHeader(actions) : JSON.treeToValue(actions, RuleActions.class);
            boolean actionLost = kept == RuleActions.NONE;
            boolean enabled = rs.getInt("enabled") != 0 && !conditionLost && !actionLost;
            RulePredicates keptConditions = JSON.treeToValue(conditions, RulePredicates.class);
            String comment = rs.getString("comment");
            if (conditionLost) comment = noted(comment, LOST_NOTE);
            if (actionLost) comment = noted(comment, LOST_ACTION_NOTE);
            else if (headerDropped) comment = noted(comment, DROPPED_HEADER_NOTE);
            TransportRule rule = new TransportRule(id, organizationId, rs.getString("name"), rs.getInt("priority"), enabled,
                    comment, keptConditions, JSON.treeToValue(exceptions, RulePredicates.class), kept);
            byId.put(id, rule);
            if (conditionLost) lostConditions.put(id, new LostCondition(keptConditions, rs.getString("conditions")));
            if (actionLost) lostActions.put(id, rs.getString("actions"));
            else if (headerDropped) droppedHeaders.add(id);
            // the values themselves stay out of the log: they are the organization's
            if (!cleaned.isEmpty())
                LOG.warn("mail flow rule '{}' ({}) of organization {} was stored with what rules may no longer hold; loaded without"
                        + " it: {}{}{}. Saving the rule stores it so.", rule.name(), id, organizationId, String.join(", ", cleaned),
                        conditionLost ? "; a condition had only such words, so it can match nothing: the rule is loaded disabled" : "",
                        actionLost ? "; no action is left: the rule is loaded disabled" : "");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.error("stored mail flow rule {} of organization {} is unreadable and is not applied; it is listed disabled and can be"
                    + " deleted: {}", id, organizationId, e.getMessage());
            String name = rs.getString("name");
            if (name == null || name.isBlank() || name.strip().length() > 200) name = "unreadable rule " + id;
            byId.put(id, new TransportRule(id, organizationId, name, Math.max(0, rs.getInt("priority")), false,
                    noted(rs.getString("comment"), UNREADABLE_NOTE), RulePredicates.NONE, RulePredicates.NONE, RuleActions.NONE));
            unreadable.add(id);
        }
    }

    /**
     * The actions left once a setHeader was dropped, or {@link RuleActions#NONE} when no action is left: the rule is then
     * loaded disabled (as with a lost condition) rather than left unreadable.
     */
    private static RuleActions withoutHeader(JsonNode actions) throws JsonProcessingException {
        try {
            return JSON.treeToValue(actions, RuleActions.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            if (anyAction(actions)) throw e;
            return RuleActions.NONE;
        }
    }

    /** Whether stored actions give one besides stopProcessingRules (a value that is not null, false, empty or blank). */
    private static boolean anyAction(JsonNode actions) {
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) actions::fields) {
            JsonNode v = e.getValue();
            if (e.getKey().equals("stopProcessingRules") || v.isNull() || v.isBoolean() && !v.asBoolean()
                    || v.isContainerNode() && v.isEmpty() || v.isTextual() && v.asText().isBlank()) continue;
            return true;
        }
        return false;
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

    /** Cleans a stored setHeader's value; true when the whole setHeader had to be dropped. */
    private static boolean cleanHeaderValue(JsonNode actions, List<String> cleaned) {
        if (!(actions instanceof ObjectNode all) || !(all.get("setHeader") instanceof ObjectNode header) || !header.path("value").isTextual())
            return false;
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
            return true;
        }
        return false;
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
            }, SqlTransportRules::changedMeanwhile));
            byId.remove(id);
            forget(id);
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
            if (!insert && unreadable.contains(given.id()))
                throw new IllegalArgumentException("this mail flow rule could not be read when the server started and is not"
                        + " applied; it cannot be edited: delete it and create it again");
            LostCondition lost = insert ? null : lostConditions.get(given.id());
            boolean stillLost = lost != null && sameConditions(given.conditions(), lost.cleaned());
            if (stillLost && given.enabled())
                throw new IllegalArgumentException("conditions: a condition of this rule had only invisible words and can match"
                        + " nothing; without it the rule would match every message. Give the rule's conditions to enable it");
            String lostAction = insert ? null : lostActions.get(given.id());
            boolean noAction = given.actions().equals(RuleActions.NONE);
            if (noAction && (lostAction == null || given.enabled()))
                throw new IllegalArgumentException("actions: " + (lostAction == null ? "a rule needs at least one action"
                        : "this rule's only action was a setHeader that rules may no longer set; give it an action to enable it"));
            String comment = unnoted(given.comment());
            String shown = stillLost ? noted(comment, LOST_NOTE) : comment;
            if (noAction) shown = noted(shown, LOST_ACTION_NOTE);
            TransportRule rule = new TransportRule(given.id(), given.organizationId(), given.name(), given.priority(),
                    given.enabled(), shown, given.conditions(), given.exceptions(), given.actions());
            String conditions = stillLost ? lost.stored() : json(rule.conditions());
            String actions = noAction ? lostAction : json(rule.actions());
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
                upsert(c, saved, comment, conditions, actions, insert);
                renumber(c, placed);
                return null;
            }, sqlText -> nameTaken(rule.name(), sqlText)));
            placed.forEach(r -> byId.put(r.id(), r));
            if (lost != null && !stillLost) lostConditions.remove(rule.id());
            if (!noAction) lostActions.remove(rule.id());
            droppedHeaders.remove(rule.id());
            publish();
            return saved;
        });
    }

    private static String noted(String comment, String note) {
        return comment == null || comment.isBlank() ? note : comment + " " + note;
    }

    /** The comment without the notes the store shows (they are never stored). */
    private static String unnoted(String comment) {
        if (comment == null) return null;
        String left = comment;
        for (String note : NOTES) left = left.replace(note, "");
        left = left.strip();
        return left.isEmpty() ? null : left;
    }

    private void forget(String id) {
        lostConditions.remove(id);
        lostActions.remove(id);
        droppedHeaders.remove(id);
        unreadable.remove(id);
    }

    /**
     * A unique violation the cache did not foresee (another node, a rule that was not read): the database's own text
     * names tables and constraints, so it goes to the log, not to the caller.
     */
    private static Conflict nameTaken(String name, String sqlText) {
        LOG.info("saving mail flow rule '{}' was refused by the database: {}", name, sqlText);
        return new Conflict("a mail flow rule named '" + name + "' already exists in this organization");
    }

    private static Conflict changedMeanwhile(String sqlText) {
        LOG.info("deleting a mail flow rule was refused by the database: {}", sqlText);
        return new Conflict("the organization's mail flow rules changed meanwhile; try again");
    }

    private static void upsert(Connection c, TransportRule r, String comment, String conditions, String actions, boolean insert)
            throws SQLException {
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
            s.setString(i++, actions);
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
