package sluice.store.policy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.filter.policy.Policies;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Protection policies on SQL, read from memory: every message asks for its organization's policies,
 * so all rows are loaded at start and the copy is replaced after each committed write. A stored
 * policy that no longer parses is logged and replaced by the defaults rather than stopping mail.
 */
public final class SqlPolicies implements Policies {

    private static final Logger LOG = LoggerFactory.getLogger(SqlPolicies.class);
    static final String CONNECTION_FILTER = "connection-filter";
    static final String ANTI_SPAM = "anti-spam";
    static final String ANTI_MALWARE = "anti-malware";

    private final GroupCommitWriter writer;
    private final InstantSource clock;
    private final Map<String, ConnectionFilterPolicy> connection = new ConcurrentHashMap<>();
    private final Map<String, AntiSpamPolicy> antiSpam = new ConcurrentHashMap<>();
    private final Map<String, AntiMalwarePolicy> antiMalware = new ConcurrentHashMap<>();

    public SqlPolicies(GroupCommitWriter writer, ReadPool readers, InstantSource clock) {
        this.writer = writer;
        this.clock = clock;
        readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT organization_id, kind, body FROM policies");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) load(rs.getString(1), rs.getString(2), rs.getString(3));
            }
            return null;
        });
    }

    private void load(String org, String kind, String body) {
        try {
            switch (kind) {
                case CONNECTION_FILTER -> connection.put(org, PolicyCodec.connectionFilter(body));
                case ANTI_SPAM -> antiSpam.put(org, PolicyCodec.antiSpam(body));
                case ANTI_MALWARE -> antiMalware.put(org, PolicyCodec.antiMalware(body));
                default -> LOG.warn("ignoring stored policy of unknown kind {} for organization {}", kind, org);
            }
        } catch (IllegalArgumentException e) {
            LOG.error("stored {} policy of organization {} is unreadable ({}); the defaults apply until it is saved again",
                    kind, org, e.getMessage());
        }
    }

    @Override
    public ConnectionFilterPolicy connectionFilter(String organizationId) {
        return organizationId == null ? ConnectionFilterPolicy.DEFAULT
                : connection.getOrDefault(organizationId, ConnectionFilterPolicy.DEFAULT);
    }

    @Override
    public AntiSpamPolicy antiSpam(String organizationId) {
        return organizationId == null ? AntiSpamPolicy.DEFAULT : antiSpam.getOrDefault(organizationId, AntiSpamPolicy.DEFAULT);
    }

    @Override
    public AntiMalwarePolicy antiMalware(String organizationId) {
        return organizationId == null ? AntiMalwarePolicy.DEFAULT
                : antiMalware.getOrDefault(organizationId, AntiMalwarePolicy.DEFAULT);
    }

    @Override
    public void setConnectionFilter(String organizationId, ConnectionFilterPolicy policy) {
        save(organizationId, CONNECTION_FILTER, policy, PolicyCodec::encode, connection);
    }

    @Override
    public void setAntiSpam(String organizationId, AntiSpamPolicy policy) {
        save(organizationId, ANTI_SPAM, policy, PolicyCodec::encode, antiSpam);
    }

    @Override
    public void setAntiMalware(String organizationId, AntiMalwarePolicy policy) {
        save(organizationId, ANTI_MALWARE, policy, PolicyCodec::encode, antiMalware);
    }

    private <P> void save(String org, String kind, P policy, Function<P, String> encode, Map<String, P> cache) {
        String body = encode.apply(policy);
        long now = clock.millis();
        writer.write(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO policies (organization_id, kind, body, updated_at) "
                    + "VALUES (?,?,?,?) ON CONFLICT (organization_id, kind) DO UPDATE SET body = excluded.body, "
                    + "updated_at = excluded.updated_at")) {
                s.setString(1, org);
                s.setString(2, kind);
                s.setString(3, body);
                s.setLong(4, now);
                s.executeUpdate();
            }
            return null;
        });
        cache.put(org, policy);
    }
}
