package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.http.Api;
import sluice.cli.output.Column;
import sluice.cli.output.Formats;
import sluice.cli.output.Terminal;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code sluice quarantine}: messages held by the protection policies (EOP's Get-/Preview-/Release-/Delete-QuarantineMessage). */
@Command(name = "quarantine",
        description = "Quarantined messages: list, get, preview, release, remove.",
        subcommands = {QuarantineCommand.ListVerb.class, QuarantineCommand.GetVerb.class, QuarantineCommand.PreviewVerb.class,
                QuarantineCommand.ReleaseVerb.class, QuarantineCommand.RemoveVerb.class})
public final class QuarantineCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/quarantine";

    static final Map<String, Function<JsonNode, String>> SHOWN = Map.of(
            "receivedAt", n -> Formats.time(n.asText(null)),
            "expiresAt", n -> Formats.time(n.asText(null)),
            "releasedAt", n -> Formats.time(n.asText(null)),
            "size", n -> Formats.bytes(n.asLong()));

    static final List<Column> COLUMNS = List.of(Column.time("Received", "receivedAt"), Column.of("Sender", "sender"),
            Column.of("Recipients", "recipients"), Column.of("Subject", "subject"), Column.of("Reason", "reason"),
            Column.time("Expires", "expiresAt"), new Column("Released", n -> n.path("releasedAt").isNull()
                    || n.path("releasedAt").isMissingNode() ? "No" : "Yes"), Column.of("Id", "id"));

    static String path(String id) {
        return BASE + "/" + Api.enc(id.strip());
    }

    @Command(name = "list", description = "Search the quarantine (newest first).",
            footer = {"%nReasons: Spam, HighConfidenceSpam, Phish, Malware, Policy.",
                    "%nExamples:", "  sluice quarantine list --recipient alice@contoso.example --reason Malware",
                    "  sluice quarantine list --from 1d -o json", "  sluice quarantine list --reason Spam --all",
                    "%nA page that is not the last ends with the --cursor of the next one (give the same filters with it),",
                    "or use --all."})
    static final class ListVerb extends ApiCommand {
        @Option(names = "--sender", paramLabel = "ADDRESS", description = "From this sender.")
        String sender;

        @Option(names = "--recipient", paramLabel = "ADDRESS", description = "To this recipient.")
        String recipient;

        @Option(names = "--reason", paramLabel = "REASON", description = "Why it was quarantined.")
        String reason;

        @Option(names = "--from", paramLabel = "TIME", converter = Times.class,
                description = "Received at or after: 2025-01-31T08:00:00Z, 2025-01-31, or a time ago (30m, 2h, 1d).")
        Instant from;

        @Option(names = "--to", paramLabel = "TIME", converter = Times.class, description = "Received before (same forms as --from).")
        Instant to;

        @Option(names = "--limit", paramLabel = "N", description = "At most this many per page (default 100, up to 1000).")
        Integer limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "The page after the one that printed this cursor "
                + "(give the same filters again).")
        String cursor;

        @Option(names = "--all", description = "Every page, not just the first (pages of --limit, default 1000).")
        boolean all;

        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's.")
        String organization;

        @Override
        protected int run() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("organizationId", Organizations.filter(api(), organization));
            query.put("sender", sender);
            query.put("recipient", recipient);
            query.put("reason", reason);
            query.put("from", from);
            query.put("to", to);
            query.put("limit", limit);
            query.put("cursor", cursor);
            JsonNode answer = Pages.fetch(api(), BASE, query, all);
            if (!printer().json() && answer.path("items").isEmpty()) {
                boolean filtered = query.entrySet().stream().anyMatch(e -> e.getValue() != null && !e.getKey().equals("limit"));
                printer().say(filtered ? "No quarantined messages found." : "The quarantine is empty.");
                return 0;
            }
            printer().list(answer, COLUMNS);
            Pages.hint(printer(), answer);
            return 0;
        }
    }

    @Command(name = "get", description = "Show one quarantined message's details (not its content: see preview).",
            footer = "%nExample: sluice quarantine get 0123456789ABCDEF0123")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Quarantine id (from quarantine list).")
        String id;

        @Override
        protected int run() {
            printer().object(api().get(path(id)), SHOWN);
            return 0;
        }
    }

    @Command(name = "preview",
            description = "Show a quarantined message safely: its headers and text (HTML as text; attachments are never opened).",
            footer = "%nExample: sluice quarantine preview 0123456789ABCDEF0123")
    static final class PreviewVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Quarantine id (from quarantine list).")
        String id;

        @Override
        protected int run() {
            JsonNode p = api().get(path(id) + "/preview");
            if (printer().json()) {
                printer().printJson(p);
                return 0;
            }
            PrintWriter out = printer().out();
            for (JsonNode h : p.path("headers"))
                out.println(Terminal.line(h.path("name").asText()) + ": " + oneLine(h.path("value").asText()));
            out.println();
            if (p.path("fromHtml").asBoolean()) out.println("[HTML shown as text]");
            // the body keeps its lines and tabs; every other control in it is shown, not obeyed
            String text = Terminal.lines(p.path("text").asText(""));
            out.print(text);
            if (!text.isEmpty() && !text.endsWith("\n")) out.println();
            if (p.path("truncated").asBoolean()) out.println("[truncated]");
            out.flush();
            return 0;
        }

        /** A folded header unfolds to one line (RFC 5322 §2.2.3), then is made safe. */
        private static String oneLine(String value) {
            return Terminal.line(value.replaceAll("[\\r\\n\\t]+", " "));
        }
    }

    @Command(name = "release",
            description = "Deliver a quarantined message to all its recipients, or to those given.",
            footer = {"%nThe released message goes through the queue to the recipients' mailboxes or next hops,",
                    "without being filtered again. Recipients it was released to before are skipped, so that",
                    "releasing twice delivers once; --again delivers to them again (say, after a user lost it).",
                    "An expired message can no longer be released.",
                    "%nExamples:", "  sluice quarantine release 0123456789ABCDEF0123",
                    "  sluice quarantine release 0123456789ABCDEF0123 --recipient alice@contoso.example --again"})
    static final class ReleaseVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Quarantine id (from quarantine list).")
        String id;

        @Option(names = "--recipient", paramLabel = "ADDRESS", description = "Only to this recipient (repeatable).")
        List<String> recipients;

        @Option(names = "--again", description = "Release also to recipients it was released to before.")
        boolean again;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (recipients != null) body.put("recipients", recipients);
            if (again) body.put("again", true);
            JsonNode r = api().post(path(id) + "/release", body.isEmpty() ? null : body);
            if (printer().json()) {
                printer().printJson(r);
                return 0;
            }
            String skipped = r.path("alreadyReleased").isEmpty() ? null : Formats.text(r.path("alreadyReleased"));
            if (r.path("recipients").isEmpty())
                printer().say("Nothing released: " + r.path("id").asText() + " was already released to " + skipped
                        + ". Add --again to release it to them again.");
            else printer().say("Released " + r.path("id").asText() + " to " + Formats.text(r.path("recipients"))
                    + " (queue id " + r.path("queueId").asText() + ")."
                    + (skipped == null ? "" : " Already released to " + skipped + ", not again (--again to include them)."));
            return 0;
        }
    }

    @Command(name = "remove", description = "Delete a message from the quarantine for good.",
            footer = "%nExample: sluice quarantine remove 0123456789ABCDEF0123")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Quarantine id (from quarantine list).")
        String id;

        @Override
        protected int run() {
            api().delete(path(id));
            printer().say("Removed " + id.strip() + " from the quarantine.");
            return 0;
        }
    }
}
