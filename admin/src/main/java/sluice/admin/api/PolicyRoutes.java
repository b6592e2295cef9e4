package sluice.admin.api;

import sluice.admin.http.FieldErrors;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.connector.IpRange;
import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.filter.policy.Policies;
import sluice.core.filter.policy.SpamAction;
import sluice.core.filter.spam.OrgSpamModels;
import sluice.core.quarantine.Quarantine;
import sluice.core.org.Directory;

import java.time.Duration;
import java.util.List;

/**
 * {@code /api/v1/policies/{kind}/{organizationId}}: each organization's protection policies, EOP's
 * connection filter, anti-spam (content filter) and anti-malware policies. GET shows the effective
 * policy (defaults until changed); PATCH changes the fields given.
 */
public final class PolicyRoutes {

    static final String BASE = "/api/v1/policies";

    private final Directory directory;
    private final Policies policies;
    private final OrgSpamModels training;
    private final Quarantine quarantine;

    public PolicyRoutes(Directory directory, Policies policies, OrgSpamModels training, Quarantine quarantine) {
        this.directory = directory;
        this.policies = policies;
        this.training = training;
        this.quarantine = quarantine;
    }

    public void register(Router router) {
        router.add("GET", BASE + "/connection-filter/{organizationId}", this::getConnection)
                .add("PATCH", BASE + "/connection-filter/{organizationId}", this::patchConnection)
                .add("GET", BASE + "/anti-spam/{organizationId}", this::getAntiSpam)
                .add("PATCH", BASE + "/anti-spam/{organizationId}", this::patchAntiSpam)
                .add("GET", BASE + "/anti-malware/{organizationId}", this::getAntiMalware)
                .add("PATCH", BASE + "/anti-malware/{organizationId}", this::patchAntiMalware)
                .add("POST", BASE + "/anti-spam/{organizationId}/train", this::train);
    }

    record ConnectionView(String organizationId, List<String> ipAllowList, List<String> ipBlockList) {
        static ConnectionView of(String org, ConnectionFilterPolicy p) {
            return new ConnectionView(org, p.ipAllowList().stream().map(IpRange::toString).toList(),
                    p.ipBlockList().stream().map(IpRange::toString).toList());
        }
    }

    record ConnectionPatch(List<String> ipAllowList, List<String> ipBlockList) {
    }

    record AntiSpamView(String organizationId, int spamScl, int highConfidenceSpamScl, String spamAction,
                        String highConfidenceSpamAction, String modifySubjectValue, String dmarcRejectAction,
                        String dmarcQuarantineAction, String spoofAction, long quarantineRetentionPeriod) {
        static AntiSpamView of(String org, AntiSpamPolicy p) {
            return new AntiSpamView(org, p.spamScl(), p.highConfidenceSpamScl(), EopNames.of(p.spamAction()),
                    EopNames.of(p.highConfidenceSpamAction()), p.subjectPrefix(), EopNames.of(p.dmarcRejectAction()),
                    EopNames.of(p.dmarcQuarantineAction()), EopNames.of(p.spoofAction()), p.quarantineRetention().toDays());
        }
    }

    record AntiSpamPatch(Integer spamScl, Integer highConfidenceSpamScl, String spamAction, String highConfidenceSpamAction,
                         String modifySubjectValue, String dmarcRejectAction, String dmarcQuarantineAction,
                         String spoofAction, Integer quarantineRetentionPeriod) {
    }

    record AntiMalwareView(String organizationId, boolean enableFileFilter, List<String> fileTypes, String action,
                           long quarantineRetentionPeriod) {
        static AntiMalwareView of(String org, AntiMalwarePolicy p) {
            return new AntiMalwareView(org, p.enableFileFilter(), p.fileTypes(), p.quarantine() ? "Quarantine" : "Reject",
                    p.quarantineRetention().toDays());
        }
    }

    record AntiMalwarePatch(Boolean enableFileFilter, List<String> fileTypes, String action, Integer quarantineRetentionPeriod) {
    }

    private String visibleOrganization(Request request) {
        request.allowQuery();
        return Access.organization(directory, request.caller(), request.param("organizationId")).id();
    }

    private String changeableOrganization(Request request) {
        String org = visibleOrganization(request);
        Access.requireChangeable(request.caller(), org, Access.noOrganization(org));
        return org;
    }

    private Response getConnection(Request request) {
        String org = visibleOrganization(request);
        return Response.ok(ConnectionView.of(org, policies.connectionFilter(org)));
    }

    private Response patchConnection(Request request) {
        String org = changeableOrganization(request);
        ConnectionPatch body = request.body(ConnectionPatch.class);
        ConnectionFilterPolicy current = policies.connectionFilter(org);
        FieldErrors errors = new FieldErrors();
        List<IpRange> allow = body.ipAllowList() == null ? current.ipAllowList() : ranges(errors, "ipAllowList", body.ipAllowList());
        List<IpRange> block = body.ipBlockList() == null ? current.ipBlockList() : ranges(errors, "ipBlockList", body.ipBlockList());
        errors.throwIfAny();
        ConnectionFilterPolicy changed = new ConnectionFilterPolicy(allow, block);
        policies.setConnectionFilter(org, changed);
        return Response.ok(ConnectionView.of(org, changed));
    }

    private Response getAntiSpam(Request request) {
        String org = visibleOrganization(request);
        return Response.ok(AntiSpamView.of(org, policies.antiSpam(org)));
    }

    private Response patchAntiSpam(Request request) {
        String org = changeableOrganization(request);
        AntiSpamPatch b = request.body(AntiSpamPatch.class);
        AntiSpamPolicy c = policies.antiSpam(org);
        FieldErrors errors = new FieldErrors();
        SpamAction spam = action(errors, "spamAction", b.spamAction(), c.spamAction());
        SpamAction high = action(errors, "highConfidenceSpamAction", b.highConfidenceSpamAction(), c.highConfidenceSpamAction());
        SpamAction dmarcReject = action(errors, "dmarcRejectAction", b.dmarcRejectAction(), c.dmarcRejectAction());
        SpamAction dmarcQuarantine = action(errors, "dmarcQuarantineAction", b.dmarcQuarantineAction(), c.dmarcQuarantineAction());
        SpamAction spoof = action(errors, "spoofAction", b.spoofAction(), c.spoofAction());
        int days = retentionDays(errors, b.quarantineRetentionPeriod(), c.quarantineRetention());
        errors.throwIfAny();
        AntiSpamPolicy changed = errors.parse("spamScl", "", x -> new AntiSpamPolicy(
                b.spamScl() == null ? c.spamScl() : b.spamScl(),
                b.highConfidenceSpamScl() == null ? c.highConfidenceSpamScl() : b.highConfidenceSpamScl(),
                spam, high, b.modifySubjectValue() == null ? c.subjectPrefix() : b.modifySubjectValue(),
                dmarcReject, dmarcQuarantine, spoof, Duration.ofDays(days)));
        errors.throwIfAny();
        policies.setAntiSpam(org, changed);
        return Response.ok(AntiSpamView.of(org, changed));
    }

    /**
     * A junk / not junk report: the message (raw RFC 5322 text, or a quarantined message by id) is
     * learned by the organization's own model, layered over the shipped one.
     */
    record Train(String verdict, String message, String quarantineId) {
    }

    record Trained(String organizationId, String verdict, int spamMessages, int hamMessages) {
    }

    private static final int MAX_TRAINING_MESSAGE = 1 << 20;

    private Response train(Request request) {
        String org = changeableOrganization(request);
        Train b = request.body(Train.class);
        FieldErrors errors = new FieldErrors();
        Boolean spam = null;
        String verdict = errors.required("verdict", b.verdict());
        if (verdict != null) {
            switch (verdict.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "junk" -> spam = true;
                case "notjunk", "not junk", "not_junk" -> spam = false;
                default -> errors.add("verdict", "must be Junk or NotJunk");
            }
        }
        byte[] content = null;
        if ((b.message() == null) == (b.quarantineId() == null)) {
            errors.add("message", "give the message or a quarantineId, one of them");
        } else if (b.message() != null) {
            content = b.message().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (content.length > MAX_TRAINING_MESSAGE) errors.add("message", "must be at most 1 MiB");
        } else {
            var entry = quarantine.get(b.quarantineId()).filter(e -> org.equals(e.organizationId()));
            if (entry.isEmpty()) errors.add("quarantineId", "no such quarantined message in the organization");
            else content = quarantine.content(b.quarantineId()).orElse(null);
        }
        errors.throwIfAny();
        training.learn(org, content, spam);
        var model = training.overlay(org);
        return Response.ok(new Trained(org, spam ? "Junk" : "NotJunk", model.spamMessages(), model.hamMessages()));
    }

    private Response getAntiMalware(Request request) {
        String org = visibleOrganization(request);
        return Response.ok(AntiMalwareView.of(org, policies.antiMalware(org)));
    }

    private Response patchAntiMalware(Request request) {
        String org = changeableOrganization(request);
        AntiMalwarePatch b = request.body(AntiMalwarePatch.class);
        AntiMalwarePolicy c = policies.antiMalware(org);
        FieldErrors errors = new FieldErrors();
        boolean quarantine = c.quarantine();
        if (b.action() != null) {
            switch (b.action().strip().toLowerCase(java.util.Locale.ROOT)) {
                case "reject" -> quarantine = false;
                case "quarantine" -> quarantine = true;
                default -> errors.add("action", "must be one of Reject, Quarantine (malware is never delivered)");
            }
        }
        int days = retentionDays(errors, b.quarantineRetentionPeriod(), c.quarantineRetention());
        if (b.fileTypes() != null && b.fileTypes().stream().anyMatch(t -> t == null || !t.matches("\\.?[A-Za-z0-9]{1,16}")))
            errors.add("fileTypes", "each file type is an extension such as exe or .scr");
        errors.throwIfAny();
        AntiMalwarePolicy changed = new AntiMalwarePolicy(b.enableFileFilter() == null ? c.enableFileFilter() : b.enableFileFilter(),
                b.fileTypes() == null ? c.fileTypes() : b.fileTypes(), quarantine, Duration.ofDays(days));
        policies.setAntiMalware(org, changed);
        return Response.ok(AntiMalwareView.of(org, changed));
    }

    /** EOP keeps quarantined mail 1 to 30 days. */
    private static int retentionDays(FieldErrors errors, Integer given, Duration current) {
        int days = given == null ? (int) current.toDays() : given;
        if (days < 1 || days > 30) errors.add("quarantineRetentionPeriod", "must be between 1 and 30 days");
        return days;
    }

    private static SpamAction action(FieldErrors errors, String field, String given, SpamAction current) {
        return given == null ? current : errors.parse(field, given, v -> EopNames.parse(SpamAction.class, v));
    }

    private static List<IpRange> ranges(FieldErrors errors, String field, List<String> given) {
        return given.stream().map(r -> errors.parse(field, r, IpRange::parse)).filter(java.util.Objects::nonNull).toList();
    }
}
