package sluice.store.spam;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.spam.OrgSpamModel;
import sluice.core.filter.spam.OrgSpamModels;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Organizations' spam training on SQL, in memory for scoring. Each report rewrites the
 * organization's overlay row in one group-committed write; reports of one organization are
 * serialized so the stored copy is never older than one that was already written.
 */
public final class SqlOrgSpamModels implements OrgSpamModels {

    private static final Logger LOG = LoggerFactory.getLogger(SqlOrgSpamModels.class);

    private final GroupCommitWriter writer;
    private final InstantSource clock;
    private final Map<String, OrgSpamModel> models = new ConcurrentHashMap<>();

    public SqlOrgSpamModels(GroupCommitWriter writer, ReadPool readers, InstantSource clock) {
        this.writer = writer;
        this.clock = clock;
        readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT organization_id, model FROM spam_training");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    try {
                        models.put(rs.getString(1), OrgSpamModel.readFrom(new ByteArrayInputStream(rs.getBytes(2))));
                    } catch (IOException | RuntimeException e) {
                        LOG.error("spam training of organization {} is unreadable ({}); it starts again from the shipped model",
                                rs.getString(1), e.toString());
                    }
                }
            }
            return null;
        });
    }

    @Override
    public OrgSpamModel overlay(String organizationId) {
        return models.get(organizationId);
    }

    @Override
    public void learn(String organizationId, byte[] message, boolean spam) {
        OrgSpamModel model = models.computeIfAbsent(organizationId, k -> new OrgSpamModel());
        synchronized (model) {
            model.learn(message, spam);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                model.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byte[] bytes = out.toByteArray();
            long now = clock.millis();
            writer.write(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO spam_training (organization_id, model, updated_at) "
                        + "VALUES (?,?,?) ON CONFLICT (organization_id) DO UPDATE SET model = excluded.model, "
                        + "updated_at = excluded.updated_at")) {
                    s.setString(1, organizationId);
                    s.setBytes(2, bytes);
                    s.setLong(3, now);
                    s.executeUpdate();
                }
                return null;
            });
        }
    }
}
