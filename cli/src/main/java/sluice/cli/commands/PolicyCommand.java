package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code sluice policy}: an organization's protection policies (EOP's Get-/Set-HostedConnectionFilterPolicy,
 * HostedContentFilterPolicy and MalwareFilterPolicy). Every organization has each one; until changed it
 * has the defaults.
 */
@Command(name = "policy",
        description = "Protection policies: connection filter (IP allow/block lists), anti-spam, anti-malware.",
        subcommands = {PolicyCommand.GetConnectionFilter.class, PolicyCommand.SetConnectionFilter.class,
                PolicyCommand.GetAntiSpam.class, PolicyCommand.SetAntiSpam.class,
                PolicyCommand.GetAntiMalware.class, PolicyCommand.SetAntiMalware.class})
public final class PolicyCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/policies";
    static final String CONNECTION_FILTER = BASE + "/connection-filter/";
    static final String ANTI_SPAM = BASE + "/anti-spam/";
    static final String ANTI_MALWARE = BASE + "/anti-malware/";

    static final Map<String, Function<JsonNode, String>> SHOWN = Map.of(
            "quarantineRetentionPeriod", n -> n.asLong() + (n.asLong() == 1 ? " day" : " days"),
            "modifySubjectValue", n -> n.isNull() ? "" : "'" + n.asText() + "'");

    /** A verb of one organization's policy: {@code --organization}, defaulting to the only visible one. */
    abstract static class PolicyVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Default: the only organization you can see.")
        String organization;

        String path(String base) {
            return base + Organizations.resolve(api(), organization);
        }
    }

    @Command(name = "get-connection-filter", description = "Show the connection filter: IP addresses always allowed or blocked.",
            footer = "%nExample: sluice policy get-connection-filter --organization Contoso")
    static final class GetConnectionFilter extends PolicyVerb {
        @Override
        protected int run() {
            printer().object(api().get(path(CONNECTION_FILTER)), SHOWN);
            return 0;
        }
    }

    @Command(name = "set-connection-filter", abbreviateSynopsis = true,
            description = "Change the connection filter (only the options given).",
            footer = {"%nMail from an allowed address skips spam filtering (not malware scanning);",
                    "mail from a blocked address is refused.",
                    "%nExamples:", "  sluice policy set-connection-filter --ip-allow-list 192.0.2.10,198.51.100.0/24",
                    "  sluice policy set-connection-filter --add-ip-block 203.0.113.7 \\",
                    "      --remove-ip-allow 192.0.2.10",
                    "  sluice policy set-connection-filter --ip-block-list ''      (empties it)"})
    static final class SetConnectionFilter extends PolicyVerb {
        @Option(names = "--ip-allow-list", split = ",", paramLabel = "CIDR",
                description = "Replace the allow list: IP addresses or ranges, comma-separated ('' for none).")
        List<String> allow;

        @Option(names = "--add-ip-allow", split = ",", paramLabel = "CIDR", description = "Add to the allow list (repeatable).")
        List<String> addAllow;

        @Option(names = "--remove-ip-allow", split = ",", paramLabel = "CIDR", description = "Remove from the allow list (repeatable).")
        List<String> removeAllow;

        @Option(names = "--ip-block-list", split = ",", paramLabel = "CIDR",
                description = "Replace the block list: IP addresses or ranges, comma-separated ('' for none).")
        List<String> block;

        @Option(names = "--add-ip-block", split = ",", paramLabel = "CIDR", description = "Add to the block list (repeatable).")
        List<String> addBlock;

        @Option(names = "--remove-ip-block", split = ",", paramLabel = "CIDR", description = "Remove from the block list (repeatable).")
        List<String> removeBlock;

        @Override
        protected int run() {
            if (allow != null && (addAllow != null || removeAllow != null))
                throw usage("--ip-allow-list replaces the list; do not combine it with --add-ip-allow or --remove-ip-allow");
            if (block != null && (addBlock != null || removeBlock != null))
                throw usage("--ip-block-list replaces the list; do not combine it with --add-ip-block or --remove-ip-block");
            String path = path(CONNECTION_FILTER);
            JsonNode current = addAllow != null || removeAllow != null || addBlock != null || removeBlock != null
                    ? api().get(path) : null;
            Map<String, Object> body = new LinkedHashMap<>();
            putList(body, "ipAllowList", allow, addAllow, removeAllow, current, PolicyCommand::sameRange);
            putList(body, "ipBlockList", block, addBlock, removeBlock, current, PolicyCommand::sameRange);
            printer().object(api().patch(path, body), SHOWN);
            return 0;
        }
    }

    @Command(name = "get-anti-spam", description = "Show the anti-spam policy: thresholds and what happens to spam, phish and spoofs.",
            footer = "%nExample: sluice policy get-anti-spam -o json")
    static final class GetAntiSpam extends PolicyVerb {
        @Override
        protected int run() {
            printer().object(api().get(path(ANTI_SPAM)), SHOWN);
            return 0;
        }
    }

    @Command(name = "set-anti-spam", abbreviateSynopsis = true, description = "Change the anti-spam policy (only the options given).",
            footer = {"%nActions: MoveToJmf (the Junk Email folder), AddXHeader, ModifySubject",
                    "(prefix with --modify-subject-value), Quarantine, Reject (refused in the",
                    "SMTP dialogue), NoAction. The spam confidence level (SCL) runs from -1",
                    "(trusted) to 9.",
                    "%nExample:", "  sluice policy set-anti-spam --spam-scl 6 --spam-action ModifySubject \\",
                    "      --modify-subject-value '[SPAM] ' --high-confidence-spam-action Quarantine \\",
                    "      --quarantine-retention-period 15"})
    static final class SetAntiSpam extends PolicyVerb {
        @Option(names = "--spam-scl", paramLabel = "SCL", description = "From this SCL on a message is spam (default 5).")
        Integer spamScl;

        @Option(names = "--high-confidence-spam-scl", paramLabel = "SCL",
                description = "From this SCL on it is high confidence spam (default 7).")
        Integer highConfidenceSpamScl;

        @Option(names = "--spam-action", paramLabel = "ACTION", description = "What happens to spam (default MoveToJmf).")
        String spamAction;

        @Option(names = "--high-confidence-spam-action", paramLabel = "ACTION",
                description = "What happens to high confidence spam.")
        String highConfidenceSpamAction;

        @Option(names = "--modify-subject-value", paramLabel = "TEXT",
                description = "The subject prefix of ModifySubject ('' for none).")
        String modifySubjectValue;

        @Option(names = "--dmarc-reject-action", paramLabel = "ACTION",
                description = "What happens when the sender's DMARC policy is p=reject and the message fails.")
        String dmarcRejectAction;

        @Option(names = "--dmarc-quarantine-action", paramLabel = "ACTION",
                description = "What happens when the sender's DMARC policy is p=quarantine and the message fails.")
        String dmarcQuarantineAction;

        @Option(names = "--spoof-action", paramLabel = "ACTION", description = "What happens to spoofed senders.")
        String spoofAction;

        @Option(names = "--quarantine-retention-period", paramLabel = "DAYS",
                description = "How long quarantined spam is kept, 1 to 30 days.")
        Integer quarantineRetentionPeriod;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            CommonConnectorFields.putIfGiven(body, "spamScl", spamScl);
            CommonConnectorFields.putIfGiven(body, "highConfidenceSpamScl", highConfidenceSpamScl);
            CommonConnectorFields.putIfGiven(body, "spamAction", spamAction);
            CommonConnectorFields.putIfGiven(body, "highConfidenceSpamAction", highConfidenceSpamAction);
            CommonConnectorFields.putIfGiven(body, "modifySubjectValue", modifySubjectValue);
            CommonConnectorFields.putIfGiven(body, "dmarcRejectAction", dmarcRejectAction);
            CommonConnectorFields.putIfGiven(body, "dmarcQuarantineAction", dmarcQuarantineAction);
            CommonConnectorFields.putIfGiven(body, "spoofAction", spoofAction);
            CommonConnectorFields.putIfGiven(body, "quarantineRetentionPeriod", quarantineRetentionPeriod);
            printer().object(api().patch(path(ANTI_SPAM), body), SHOWN);
            return 0;
        }
    }

    @Command(name = "get-anti-malware", description = "Show the anti-malware policy: the common attachment filter and the action.",
            footer = "%nExample: sluice policy get-anti-malware")
    static final class GetAntiMalware extends PolicyVerb {
        @Override
        protected int run() {
            printer().object(api().get(path(ANTI_MALWARE)), SHOWN);
            return 0;
        }
    }

    @Command(name = "set-anti-malware", abbreviateSynopsis = true, description = "Change the anti-malware policy (only the options given).",
            footer = {"%nMalware is never delivered: --action chooses between refusing it in the",
                    "SMTP dialogue (Reject) and holding it in the quarantine (Quarantine).",
                    "%nExamples:", "  sluice policy set-anti-malware --action Quarantine --quarantine-retention-period 30",
                    "  sluice policy set-anti-malware --enable-file-filter --add-file-type ps1,one"})
    static final class SetAntiMalware extends PolicyVerb {
        @Option(names = "--enable-file-filter", negatable = true,
                description = "Treat attachments of the --file-types as malware (the common attachment filter).")
        Boolean enableFileFilter;

        @Option(names = "--file-types", split = ",", paramLabel = "EXT",
                description = "Replace the file types of the filter: extensions, comma-separated ('' for none).")
        List<String> fileTypes;

        @Option(names = "--add-file-type", split = ",", paramLabel = "EXT", description = "Add file types (repeatable).")
        List<String> addFileTypes;

        @Option(names = "--remove-file-type", split = ",", paramLabel = "EXT", description = "Remove file types (repeatable).")
        List<String> removeFileTypes;

        @Option(names = "--action", paramLabel = "ACTION", description = "Reject (the default) or Quarantine.")
        String action;

        @Option(names = "--quarantine-retention-period", paramLabel = "DAYS",
                description = "How long quarantined malware is kept, 1 to 30 days.")
        Integer quarantineRetentionPeriod;

        @Override
        protected int run() {
            if (fileTypes != null && (addFileTypes != null || removeFileTypes != null))
                throw usage("--file-types replaces the list; do not combine it with --add-file-type or --remove-file-type");
            String path = path(ANTI_MALWARE);
            JsonNode current = addFileTypes != null || removeFileTypes != null ? api().get(path) : null;
            Map<String, Object> body = new LinkedHashMap<>();
            CommonConnectorFields.putIfGiven(body, "enableFileFilter", enableFileFilter);
            putList(body, "fileTypes", fileTypes, addFileTypes, removeFileTypes, current, PolicyCommand::sameFileType);
            CommonConnectorFields.putIfGiven(body, "action", action);
            CommonConnectorFields.putIfGiven(body, "quarantineRetentionPeriod", quarantineRetentionPeriod);
            printer().object(api().patch(path, body), SHOWN);
            return 0;
        }
    }

    /** A list field: replaced by {@code replace}, or the current list with {@code add} and without {@code remove}; absent otherwise. */
    static void putList(Map<String, Object> body, String field, List<String> replace, List<String> add, List<String> remove,
                        JsonNode current, java.util.function.BiPredicate<String, String> same) {
        if (replace != null) {
            body.put(field, CommonConnectorFields.list(replace));
            return;
        }
        if (add == null && remove == null) return;
        List<String> out = new ArrayList<>();
        current.path(field).forEach(v -> out.add(v.asText()));
        if (remove != null) {
            List<String> gone = CommonConnectorFields.list(remove);
            out.removeIf(v -> gone.stream().anyMatch(g -> same.test(v, g)));
        }
        if (add != null) {
            for (String a : CommonConnectorFields.list(add))
                if (out.stream().noneMatch(v -> same.test(v, a))) out.add(a);
        }
        body.put(field, out);
    }

    /**
     * 192.0.2.1 and 192.0.2.1/32 are the same range, as are 2001:db8::/32 and 2001:db8:0:0:0:0:0:0/32
     * (the server shows a single address without a prefix, and IPv6 in full).
     */
    static boolean sameRange(String a, String b) {
        return range(a).equals(range(b));
    }

    private static String range(String r) {
        String s = r.strip().toLowerCase(Locale.ROOT);
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        String prefix = slash < 0 ? null : s.substring(slash + 1);
        boolean v6 = address.contains(":");
        if (v6 && address.matches("[0-9a-f:.]+")) {
            try {
                address = java.net.InetAddress.getByName(address).getHostAddress();   // a literal: no DNS lookup
            } catch (java.net.UnknownHostException e) {
                // not an address: compared as typed
            }
        }
        if (prefix == null || prefix.equals(v6 ? "128" : "32")) return address;
        return address + "/" + prefix;
    }

    /** exe and .EXE are the same file type. */
    static boolean sameFileType(String a, String b) {
        return fileType(a).equals(fileType(b));
    }

    private static String fileType(String t) {
        String s = t.strip().toLowerCase(Locale.ROOT);
        return s.startsWith(".") ? s.substring(1) : s;
    }
}
