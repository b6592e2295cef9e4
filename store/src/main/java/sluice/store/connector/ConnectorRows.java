package sluice.store.connector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.DomainPattern;
import sluice.core.connector.InboundConnector;
import sluice.core.connector.IpRange;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundConnector.HostReport;
import sluice.core.connector.OutboundConnector.TlsSettings;
import sluice.core.connector.OutboundConnector.Validation;
import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The connectors' SQL: loading everything at start-up and writing one connector at a time. */
final class ConnectorRows {
    private static final Logger log = LoggerFactory.getLogger(ConnectorRows.class);

    private static final String INBOUND_COLUMNS = "organization_id, name, name_key, type, enabled, comment, sender_ip_addresses, "
            + "tls_sender_certificate_name, sender_domains, require_tls, restrict_domains_to_ip_addresses, "
            + "restrict_domains_to_certificate, treat_messages_as_internal, ef_skip_ips, ef_skip_last_ip, id";
    private static final String OUTBOUND_COLUMNS = "organization_id, name, name_key, type, enabled, comment, recipient_domains, "
            + "all_accepted_domains, smart_hosts, use_mx_record, tls_settings, tls_domain, is_transport_rule_scoped, "
            + "route_all_messages_via_on_premises, validated_at, validation_succeeded, local_hops_allowed, id";

    private ConnectorRows() {
    }

    static String nameKey(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    static void loadInbound(Connection c, Consumer<InboundConnector> sink) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + INBOUND_COLUMNS + " FROM inbound_connectors");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                try {
                    sink.accept(new InboundConnector(rs.getString(16), rs.getString(1), rs.getString(2),
                            ConnectorType.valueOf(rs.getString(4)), flag(rs, 5), rs.getString(6), lines(rs.getString(7), IpRange::parse),
                            rs.getString(8), lines(rs.getString(9), DomainPattern::parse), flag(rs, 10), flag(rs, 11), flag(rs, 12),
                            flag(rs, 13), lines(rs.getString(14), IpRange::parse), flag(rs, 15)));
                } catch (IllegalArgumentException | NullPointerException e) {
                    log.error("inbound connector {} is unreadable and was skipped: {}", rs.getString(16), e.getMessage());
                }
            }
        }
    }

    static void loadOutbound(Connection c, Consumer<OutboundConnector> sink) throws SQLException {
        Map<String, List<HostReport>> reports = hostReports(c);
        try (PreparedStatement s = c.prepareStatement("SELECT " + OUTBOUND_COLUMNS + " FROM outbound_connectors");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(18);
                try {
                    long at = rs.getLong(15);
                    Validation v = rs.wasNull() ? null
                            : new Validation(Instant.ofEpochMilli(at), flag(rs, 16), reports.getOrDefault(id, List.of()));
                    String tlsDomain = rs.getString(12);
                    sink.accept(new OutboundConnector(id, rs.getString(1), rs.getString(2), ConnectorType.valueOf(rs.getString(4)),
                            flag(rs, 5), rs.getString(6), lines(rs.getString(7), DomainPattern::parse), flag(rs, 8),
                            lines(rs.getString(9), HostPort::parse), flag(rs, 10), TlsSettings.valueOf(rs.getString(11)),
                            tlsDomain == null ? null : Domain.of(tlsDomain), flag(rs, 13), flag(rs, 14), v, flag(rs, 17)));
                } catch (IllegalArgumentException | NullPointerException e) {
                    log.error("outbound connector {} is unreadable and was skipped: {}", id, e.getMessage());
                }
            }
        }
    }

    private static Map<String, List<HostReport>> hostReports(Connection c) throws SQLException {
        Map<String, List<HostReport>> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT connector_id, host, succeeded, steps, error "
                + "FROM outbound_connector_validation_hosts ORDER BY connector_id, position");
             ResultSet rs = s.executeQuery()) {
            while (rs.next())
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new HostReport(rs.getString(2), flag(rs, 3),
                        lines(rs.getString(4), Function.identity()), rs.getString(5)));
        }
        return out;
    }

    static void upsertInbound(Connection c, InboundConnector i, boolean insert) throws SQLException {
        execute(c, insert ? insert("inbound_connectors", INBOUND_COLUMNS) : update("inbound_connectors", INBOUND_COLUMNS),
                i.organizationId(), i.name(), nameKey(i.name()), i.type().name(), bit(i.enabled()), i.comment(),
                text(i.senderIpAddresses()), i.tlsSenderCertificateName(), text(i.senderDomains()), bit(i.requireTls()),
                bit(i.restrictDomainsToIpAddresses()), bit(i.restrictDomainsToCertificate()), bit(i.treatMessagesAsInternal()),
                text(i.efSkipIps()), bit(i.efSkipLastIp()), i.id());
    }

    static void upsertOutbound(Connection c, OutboundConnector o, boolean insert) throws SQLException {
        Validation v = o.lastValidation();
        execute(c, insert ? insert("outbound_connectors", OUTBOUND_COLUMNS) : update("outbound_connectors", OUTBOUND_COLUMNS),
                o.organizationId(), o.name(), nameKey(o.name()), o.type().name(), bit(o.enabled()), o.comment(),
                text(o.recipientDomains()), bit(o.allAcceptedDomains()), text(o.smartHosts()), bit(o.useMxRecord()),
                o.tlsSettings().name(), o.tlsDomain() == null ? null : o.tlsDomain().name(), bit(o.isTransportRuleScoped()),
                bit(o.routeAllMessagesViaOnPremises()), v == null ? null : v.at().toEpochMilli(),
                v == null ? null : bit(v.succeeded()), bit(o.localHopsAllowed()), o.id());
        execute(c, "DELETE FROM outbound_connector_validation_hosts WHERE connector_id = ?", o.id());
        if (v == null) return;
        for (int p = 0; p < v.hosts().size(); p++) {
            HostReport h = v.hosts().get(p);
            // A step is one line by contract; a multi-line server reply must not split into two steps.
            List<String> steps = h.steps().stream().map(step -> step.replaceAll("[\r\n]+", " ")).toList();
            execute(c, "INSERT INTO outbound_connector_validation_hosts (connector_id, position, host, succeeded, steps, error) "
                    + "VALUES (?,?,?,?,?,?)", o.id(), p, h.host(), bit(h.succeeded()), text(steps), h.error());
        }
    }

    static void delete(Connection c, String table, String id) throws SQLException {
        execute(c, "DELETE FROM " + table + " WHERE id = ?", id);
    }

    private static String insert(String table, String columns) {
        return "INSERT INTO " + table + " (" + columns + ") VALUES (" + "?,".repeat(columns.split(",").length - 1) + "?)";
    }

    /** Every column but the last (the id) is set; the id selects the row. */
    private static String update(String table, String columns) {
        List<String> names = List.of(columns.split(",\\s*"));
        return "UPDATE " + table + " SET " + names.subList(0, names.size() - 1).stream().map(n -> n + " = ?")
                .collect(Collectors.joining(", ")) + " WHERE " + names.getLast() + " = ?";
    }

    private static void execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            s.executeUpdate();
        }
    }

    private static String text(List<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining("\n"));
    }

    private static <T> List<T> lines(String text, Function<String, T> parse) {
        if (text == null || text.isEmpty()) return List.of();
        return text.lines().map(parse).toList();
    }

    private static boolean flag(ResultSet rs, int column) throws SQLException {
        return rs.getInt(column) != 0;
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
