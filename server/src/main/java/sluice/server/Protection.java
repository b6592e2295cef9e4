package sluice.server;

import sluice.core.dns.Dns;
import sluice.core.filter.Pipeline;
import sluice.core.filter.Stage;
import sluice.core.filter.connection.ConnectionFilterStage;
import sluice.core.filter.connection.DnsBlockLists;
import sluice.core.filter.malware.ClamdClient;
import sluice.core.filter.malware.MalwarePolicy;
import sluice.core.filter.malware.MalwareScanner;
import sluice.core.filter.malware.MalwareStage;
import sluice.core.filter.policy.Policies;
import sluice.core.filter.rspamd.RspamdClient;
import sluice.core.filter.rspamd.RspamdStage;
import sluice.core.filter.spam.OrgSpamModels;
import sluice.core.filter.spam.SpamClassifier;
import sluice.core.filter.spam.SpamModel;
import sluice.core.filter.spam.SpamStage;
import sluice.core.filter.spoof.AntiSpoofing;
import sluice.core.filter.spoof.SpoofStage;
import sluice.core.mail.HostPort;
import sluice.core.org.Directory;
import sluice.core.rule.TransportRuleStage;
import sluice.core.rule.TransportRules;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** Builds the protection pipeline in EOP's order from the node configuration. */
final class Protection {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Protection.class);

    private static final Duration CLAMD_TIMEOUT = Duration.ofSeconds(30);
    /** Rspamd answers in milliseconds; waiting longer would only hold the client's DATA. */
    private static final Duration RSPAMD_TIMEOUT = Duration.ofSeconds(5);
    /** How long DATA waits for block list answers still in flight; most arrived during the dialogue. */
    private static final Duration DNSBL_WAIT = Duration.ofSeconds(2);

    private Protection() {
    }

    /** The shipped model is read-only: one copy for the JVM, however many nodes (tests) it runs. */
    private static volatile SpamModel shipped;

    private static SpamModel shippedModel() {
        SpamModel m = shipped;
        if (m == null) {
            synchronized (Protection.class) {
                if (shipped == null) shipped = SpamModel.loadDefault();
                m = shipped;
            }
        }
        return m;
    }

    static Pipeline pipeline(NodeConfig cfg, Policies policies, OrgSpamModels training, Dns dns, InstantSource clock,
                             TransportRules rules, Directory directory) {
        if (!cfg.protection().enabled()) {
            // mail flow rules are the organization's own policy, not a filter: they still run, except
            // those that test the SCL, which nothing computes now
            LOG.warn("protection.enabled is false: no connection filtering, anti-malware, anti-spoofing or anti-spam"
                    + " (mail flow rules still run, those with an sclOver condition or exception do not)");
            return Pipeline.rulesOnly(List.of(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)));
        }
        List<Stage> stages = new ArrayList<>();
        stages.add(new ConnectionFilterStage(policies,
                new DnsBlockLists(dns, cfg.protection().dnsBlockLists(), clock, DNSBL_WAIT)));
        stages.add(new MalwareStage(new MalwareScanner(MalwarePolicy.defaults(), clamd(cfg.protection().clamav())), policies));
        stages.add(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM));
        stages.add(new SpoofStage(new AntiSpoofing(dns, clock, new SecureRandom()), cfg.hostname()));
        stages.add(new SpamStage(new SpamClassifier(shippedModel(), clock), training));
        // after the built-in classifier: Rspamd can only raise its SCL (sluice.core.filter.rspamd)
        if (!cfg.protection().rspamd().isEmpty())
            stages.add(new RspamdStage(RspamdClient.create(cfg.protection().rspamd(), RSPAMD_TIMEOUT)));
        // rules with an sclOver condition or exception need the final SCL
        stages.add(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.AFTER_ANTI_SPAM));
        return new Pipeline(stages, policies);
    }

    static ClamdClient clamd(String address) {
        if (address.isEmpty()) return null;
        if (address.startsWith("unix:")) return ClamdClient.unix(Path.of(address.substring(5)), CLAMD_TIMEOUT);
        HostPort hp;
        try {
            hp = HostPort.parse(address);
        } catch (IllegalArgumentException e) {
            throw new ConfigLoader.ConfigException("protection.clamav: " + e.getMessage());
        }
        if (hp.port() == -1) throw new ConfigLoader.ConfigException("protection.clamav needs host:port or unix:/path, not '" + address + "'");
        return ClamdClient.tcp(hp.host(), hp.port(), CLAMD_TIMEOUT);
    }
}
