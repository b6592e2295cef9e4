package sluice.store.dkim;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Says which DKIM keys the upgrade to schema version 23 deletes: private keys of domains their
 * organization no longer holds, which an operator may want to know were there (the old selector's record
 * may still be published, and the key may still be in a backup). The migration is plain SQL and keeps no
 * count, so the ids are read just before it runs, with its own condition, and logged after it succeeded:
 * one WARN line, and nothing on any other start-up.
 */
public final class DkimKeysOfDomainsNoLongerHeld implements Callback {

    private static final Logger LOG = LoggerFactory.getLogger(DkimKeysOfDomainsNoLongerHeld.class);
    private static final MigrationVersion V23 = MigrationVersion.fromVersion("23");
    /** The WHERE clause of V23__dkim_keys_of_held_domains.sql, which must stay the same as it. */
    private static final String NOT_HELD = "NOT EXISTS (SELECT 1 FROM accepted_domains a"
            + " WHERE a.organization_id = dkim_keys.organization_id AND a.domain = dkim_keys.domain)";

    private final List<String> ids = new ArrayList<>();

    @Override
    public boolean supports(Event event, Context context) {
        return (event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE)
                && context.getMigrationInfo() != null && V23.equals(context.getMigrationInfo().getVersion());
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        if (event == Event.BEFORE_EACH_MIGRATE) {
            ids.clear();
            try (PreparedStatement s = context.getConnection().prepareStatement(
                    "SELECT id FROM dkim_keys WHERE " + NOT_HELD + " ORDER BY id");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) ids.add(rs.getString(1));
            } catch (SQLException e) {
                // only a report: the migration itself must not fail for it
                LOG.warn("could not list the DKIM keys the upgrade to schema version 23 removes: {}", e.getMessage());
            }
        } else if (!ids.isEmpty()) {
            LOG.warn("The upgrade to schema version 23 removed {} DKIM key(s) of domains their organization no longer holds: {}",
                    ids.size(), String.join(", ", ids));
        }
    }

    @Override
    public String getCallbackName() {
        return "DkimKeysOfDomainsNoLongerHeld";
    }
}
