package sluice.admin.api;

import sluice.admin.openapi.Operation;
import sluice.admin.openapi.Operation.Parameter;
import sluice.core.connector.OutboundConnector;

import java.util.LinkedHashMap;
import java.util.Map;

import static sluice.admin.openapi.Operation.of;

/**
 * The description of every {@code /api/v1} route for the OpenAPI document. A route added without an
 * entry here fails {@code OpenApiDocumentTest}; an entry without a route fails it too.
 */
public final class ApiDocs {

    private ApiDocs() {
    }

    /** How the paged searches work, said once for both. */
    private static final String PAGING = "While more follow, the answer has nextCursor and a next link (the same "
            + "search with cursor=nextCursor); on the last page both are absent. The cursor is opaque and only positions: "
            + "the page starts just after the previous page's last row, so rows arriving meanwhile do not shift it, and "
            + "the organization scope and the filters come from each request, not from the cursor (repeat them with the "
            + "cursor; changed filters apply from that position on). A cursor that is not one this search wrote is a 400.";

    private static final Parameter CURSOR = Parameter.text("Opaque: the nextCursor of the previous page of this search, "
            + "to read the page after it. Only positions; the scope and filters come from this request.");

    private static Parameter limit(String what, int byDefault, int max) {
        return Parameter.integer(1, max, "The most " + what + " on a page (default " + byDefault + ").");
    }

    /**
     * What a list says of stored objects an older version wrote that cannot be read now: %s the object, %s the field
     * holding its name as stored, %s what it never does.
     */
    private static final String UNREADABLE = "a stored %s that cannot be read (a domain name written before names were read as "
            + "strictly) is listed with unreadable: true, a note saying why and %s as stored: it %s, cannot be changed "
            + "(409) and can be deleted";

    /** By {@code "METHOD /pattern"}. */
    public static Map<String, Operation> operations() {
        Map<String, Operation> d = new LinkedHashMap<>();
        crud(d, OrganizationRoutes.BASE, "organization", OrganizationRoutes.View.class, OrganizationRoutes.Create.class,
                OrganizationRoutes.Patch.class);
        crud(d, DomainRoutes.BASE, "accepted domain", DomainRoutes.View.class, DomainRoutes.Create.class, DomainRoutes.Patch.class);
        d.put("GET " + DomainRoutes.BASE, of("List accepted domains in scope, pending ones with status PendingVerification; "
                + UNREADABLE.formatted("accepted or pending domain", "domainName", "receives no mail and is never verified")
                + "; until then its name cannot be added again (409 naming it)").returnsList(DomainRoutes.View.class)
                .query("organizationId"));
        d.put("DELETE " + DomainRoutes.BASE + "/{id}", of("Delete an accepted domain, and with it the organization's DKIM keys "
                + "for it (409 while mailboxes use it or it vouches for subdomains or connectors' certificate names), or a "
                + "pending one (either also one marked unreadable)"));
        d.put("POST " + DomainRoutes.BASE + "/{id}/verify", of("Verify a pending domain: once its verificationRecord is "
                + "published as a TXT record at the domain, it becomes an accepted domain (new id; 409 while the record is missing)")
                .returns(DomainRoutes.View.class));
        crud(d, MailboxRoutes.BASE, "mailbox", MailboxRoutes.View.class, MailboxRoutes.Create.class, MailboxRoutes.Patch.class);
        d.put("GET " + MailboxRoutes.BASE, of("List mailboxes in scope; " + UNREADABLE.formatted("mailbox", "address", "receives no mail")
                + ", and an alias that cannot be read is listed in its mailbox's unreadableAliases (changing the mailbox keeps it); "
                + "until they are deleted their addresses cannot be used again (409 naming them)")
                .returnsList(MailboxRoutes.View.class).query("organizationId"));
        d.put("DELETE " + MailboxRoutes.BASE + "/{id}", of("Delete a mailbox (also one marked unreadable); its stored mail is kept"));
        d.put("DELETE " + MailboxRoutes.BASE + "/{id}/aliases/{address}", of("Delete an alias of the mailbox that could not be "
                + "read, by its address as listed in unreadableAliases (other aliases are changed with PATCH)"));
        crud(d, InboundConnectorRoutes.BASE, "inbound connector", InboundConnectorRoutes.View.class,
                InboundConnectorRoutes.Fields.class, InboundConnectorRoutes.Fields.class);
        crud(d, OutboundConnectorRoutes.BASE, "outbound connector", OutboundConnectorRoutes.View.class,
                OutboundConnectorRoutes.Fields.class, OutboundConnectorRoutes.Fields.class);
        d.put("POST " + OutboundConnectorRoutes.BASE + "/{id}/validate", of("Validate an outbound connector: connect to its "
                + "next hops as delivery would, and report per host").body(ConnectorValidationRoute.Options.class)
                .returns(OutboundConnector.Validation.class));
        crud(d, RuleRoutes.BASE, "mail flow rule", RuleRoutes.View.class, RuleRoutes.Fields.class, RuleRoutes.Fields.class);
        d.put("GET " + TraceRoutes.BASE, of("Search the message trace, newest first, a page at a time (limit rows, "
                + "default 100). " + PAGING + " The next link also pins the time range this page resolved (by default "
                + "the last 48 hours)").returns(TraceRoutes.Page.class)
                .query("organizationId", "sender", "recipient", "from", "to", "status", "messageId", "limit", "cursor")
                .describe("limit", limit("rows", TraceRoutes.DEFAULT_LIMIT, TraceRoutes.MAX_LIMIT)).describe("cursor", CURSOR));
        d.put("GET " + TraceRoutes.BASE + "/{networkMessageId}", of("The events of one message, per recipient")
                .returns(TraceRoutes.Detail.class));
        d.put("GET " + StatsRoutes.BASE + "/mailflow", of("Mail flow per hour (received, delivered, deferred, failed, "
                + "rejected, quarantined recipients) for the dashboard").returns(StatsRoutes.MailFlow.class)
                .query("hours", "organizationId"));
        d.put("GET " + QueueRoutes.BASE, of("Messages in the queue").returnsList(QueueRoutes.Entry.class)
                .query("organizationId", "limit"));
        d.put("GET " + QueueRoutes.BASE + "/{id}", of("One queued message with its recipients' state").returns(QueueRoutes.Entry.class));
        d.put("POST " + QueueRoutes.BASE + "/{id}/retry", of("Retry delivery now"));
        d.put("POST " + QueueRoutes.BASE + "/{id}/suspend", of("Suspend a message: its waiting recipients are neither "
                + "attempted nor expired until resumed (409 when none is waiting)"));
        d.put("POST " + QueueRoutes.BASE + "/{id}/resume", of("Resume a suspended message: its recipients are due now "
                + "(409 when none is suspended)"));
        d.put("DELETE " + QueueRoutes.BASE + "/{id}", of("Remove from the queue, with a non-delivery report if ndr=true").query("ndr"));
        policy(d, "connection-filter", "connection filter (IP allow and block lists)", PolicyRoutes.ConnectionView.class,
                PolicyRoutes.ConnectionPatch.class);
        policy(d, "anti-spam", "anti-spam policy", PolicyRoutes.AntiSpamView.class, PolicyRoutes.AntiSpamPatch.class);
        policy(d, "anti-malware", "anti-malware policy", PolicyRoutes.AntiMalwareView.class, PolicyRoutes.AntiMalwarePatch.class);
        d.put("POST " + PolicyRoutes.BASE + "/anti-spam/{organizationId}/train", of("Report a message as Junk or NotJunk: "
                + "the organization's own model learns it").body(PolicyRoutes.Train.class).returns(PolicyRoutes.Trained.class));
        d.put("GET " + DkimRoutes.BASE, of("DKIM signing keys in scope; " + UNREADABLE.formatted("key", "domainName", "never signs"))
                .returnsList(DkimRoutes.View.class).query("organizationId"));
        d.put("POST " + DkimRoutes.BASE, of("Create a DKIM key for an accepted domain, disabled until its record is published")
                .body(DkimRoutes.Create.class).creates(DkimRoutes.View.class));
        d.put("GET " + DkimRoutes.BASE + "/{id}", of("One DKIM key with the DNS record to publish").returns(DkimRoutes.View.class));
        d.put("PATCH " + DkimRoutes.BASE + "/{id}", of("Enable or disable signing with a key (409 when enabling a key whose "
                + "domain is no longer an accepted domain of its organization)").body(DkimRoutes.Patch.class)
                .returns(DkimRoutes.View.class));
        d.put("POST " + DkimRoutes.BASE + "/{id}/rotate", of("Create a key under a new selector and move signing to it (409 when "
                + "the key's domain is no longer an accepted domain of its organization)")
                .body(DkimRoutes.Rotate.class).creates(DkimRoutes.View.class));
        d.put("DELETE " + DkimRoutes.BASE + "/{id}", of("Delete a DKIM key (also one marked unreadable)"));
        d.put("GET " + QuarantineRoutes.BASE, of("Search quarantined messages, newest first, a page at a time (limit "
                + "entries, default 100). " + PAGING).returns(QuarantineRoutes.Page.class)
                .query("organizationId", "sender", "recipient", "reason", "from", "to", "limit", "cursor")
                .describe("limit", limit("entries", QuarantineRoutes.DEFAULT_LIMIT, QuarantineRoutes.MAX_LIMIT))
                .describe("cursor", CURSOR));
        d.put("GET " + QuarantineRoutes.BASE + "/{id}", of("One quarantined message").returns(QuarantineRoutes.Entry.class));
        d.put("GET " + QuarantineRoutes.BASE + "/{id}/preview", of("Headers and text of a quarantined message, never active content")
                .returns(QuarantineRoutes.PreviewView.class));
        d.put("POST " + QuarantineRoutes.BASE + "/{id}/release", of("Release to all or some of its recipients. "
                + "Recipients it was released to before are skipped (listed in alreadyReleased; queueId is null when all are) unless "
                + "again is true; 409 once the message has expired")
                .body(QuarantineRoutes.ReleaseOptions.class).returns(QuarantineRoutes.Released.class));
        d.put("DELETE " + QuarantineRoutes.BASE + "/{id}", of("Delete a quarantined message"));
        accounts(d);
        return d;
    }

    private static void accounts(Map<String, Operation> d) {
        crud(d, UserRoutes.BASE, "administrator account", UserRoutes.View.class, UserRoutes.Fields.class, UserRoutes.Fields.class);
        d.put("GET " + UserRoutes.BASE, of("List administrator accounts in scope").returnsList(UserRoutes.View.class).query("organizationId"));
        d.put("POST " + UserRoutes.BASE + "/{id}/password", of("Set an account's password; your own needs currentPassword")
                .body(UserRoutes.PasswordChange.class));
        d.put("GET " + TokenRoutes.BASE, of("List API tokens: your own, an account's (userId), or all (all=true)")
                .returnsList(TokenRoutes.View.class).query("userId", "all"));
        d.put("POST " + TokenRoutes.BASE, of("Create an API token for yourself (from a browser session: with currentPassword); the secret is answered only now")
                .body(TokenRoutes.Fields.class).creates(TokenRoutes.Created.class));
        d.put("GET " + TokenRoutes.BASE + "/{id}", of("One API token (never its secret)").returns(TokenRoutes.View.class));
        d.put("DELETE " + TokenRoutes.BASE + "/{id}", of("Revoke an API token"));
        d.put("POST " + SessionRoutes.PATH, of("Log in: sets the session cookie (sluice_session; __Host-sluice_session over HTTPS) and answers the CSRF token")
                .body(SessionRoutes.Login.class).returns(SessionRoutes.View.class).open());
        d.put("GET " + SessionRoutes.PATH, of("Who is calling, and the session's CSRF token").returns(SessionRoutes.View.class));
        d.put("DELETE " + SessionRoutes.PATH, of("Log out"));
        d.put("GET " + AuditRoutes.BASE, of("Configuration changes, newest first").returnsList(AuditRoutes.View.class)
                .query("organizationId", "from", "to", "limit"));
    }

    private static void crud(Map<String, Operation> d, String base, String noun, Class<?> view, Class<?> create, Class<?> patch) {
        String plural = noun.endsWith("x") ? noun + "es" : noun + "s";
        d.put("GET " + base, of("List " + plural + " in scope").returnsList(view)
                .query(base.equals(OrganizationRoutes.BASE) ? new String[0] : new String[]{"organizationId"}));
        d.put("POST " + base, of("Create " + article(noun) + " " + noun).body(create).creates(view));
        d.put("GET " + base + "/{id}", of("One " + noun).returns(view));
        d.put("PATCH " + base + "/{id}", of("Change " + article(noun) + " " + noun + "; absent fields keep their value")
                .body(patch).returns(view));
        d.put("DELETE " + base + "/{id}", of("Delete " + article(noun) + " " + noun));
    }

    private static void policy(Map<String, Operation> d, String kind, String noun, Class<?> view, Class<?> patch) {
        String path = PolicyRoutes.BASE + "/" + kind + "/{organizationId}";
        d.put("GET " + path, of("The organization's " + noun).returns(view));
        d.put("PATCH " + path, of("Change the organization's " + noun + "; absent fields keep their value").body(patch).returns(view));
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }
}
