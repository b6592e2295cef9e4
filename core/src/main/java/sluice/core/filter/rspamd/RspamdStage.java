package sluice.core.filter.rspamd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Stage;
import sluice.core.filter.Symbol;
import sluice.core.filter.Verdict;
import sluice.core.filter.spam.SpamVerdict;
import sluice.core.mail.Address;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Rspamd as a second opinion after the built-in anti-spam stage. It records Rspamd's symbols and a
 * summary symbol, and raises the SCL only when Rspamd itself would reject the message (see the
 * package documentation for the rule and why). Internal mail is not sent, as the built-in stage
 * does not score it. Rspamd unreachable, slow or confused leaves the built-in verdict as it was.
 */
public final class RspamdStage implements Stage {

    private static final Logger LOG = LoggerFactory.getLogger(RspamdStage.class);
    /** Rspamd returns dozens of symbols; the strongest few explain a verdict, the rest only bloat the report. */
    static final int MAX_SYMBOLS = 15;
    /** The SCL Rspamd's reject threshold maps to: EOP's default high-confidence spam level. */
    static final int SCL_AT_REQUIRED = 7;

    private final RspamdClient client;
    /** Logs the first failure and the recovery, not every message while Rspamd is down. */
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    public RspamdStage(RspamdClient client) {
        this.client = client;
    }

    @Override
    public String name() {
        return "rspamd";
    }

    @Override
    public Optional<Verdict> inspect(Inspection m, Findings findings) {
        if (m.internal()) return Optional.empty();
        var request = new RspamdClient.Request(m.originatingAddress().getHostAddress(), m.heloName(), m.mailFrom(),
                m.recipients().stream().map(Address::toString).toList(), null, null);
        switch (client.check(request, m.content())) {
            case RspamdClient.Result.Failed f -> failed(f.reason(), findings);
            case RspamdClient.Result.Checked c -> {
                if (!reachable.getAndSet(true)) LOG.info("{} answers again", client);
                record(c.reply(), findings);
            }
        }
        return Optional.empty();
    }

    private void failed(String reason, Findings findings) {
        if (reachable.getAndSet(false)) LOG.warn("Rspamd failed, mail goes on with the built-in verdict: {}", reason);
        else LOG.debug("Rspamd failed again: {}", reason);
        findings.add(new Symbol("RSPAMD_FAILED", 0, reason));
    }

    static void record(RspamdReply r, Findings findings) {
        int mapped = scl(r.score(), r.requiredScore());
        boolean rejects = "reject".equals(r.action()) || r.score() >= r.requiredScore();
        String detail = String.format(Locale.ROOT, "%s, score %.2f/%.2f, SCL %d%s%s", r.action(), r.score(),
                r.requiredScore(), mapped, rejects ? "" : " (not applied)", r.message().isEmpty() ? "" : ": " + r.message());
        findings.add(new Symbol("RSPAMD", r.score(), detail));
        // zero-score symbols are Rspamd's notes (MIME_TRACE, *_FAIL on DNS errors), except when it
        // stopped early: then the few it has (GTUBE) are the reason
        r.symbols().stream().filter(s -> s.score() != 0 || r.skipped()).limit(MAX_SYMBOLS)
                .forEach(s -> findings.add(new Symbol(symbolName(s.name()), s.score(), options(s))));
        if (!rejects) return;
        int raised = Math.max(mapped, SCL_AT_REQUIRED);
        var builtin = findings.fact(Facts.Spam.class);
        if (builtin.isPresent() && builtin.get().scl() >= raised) return;
        // no probability from Rspamd: keep the classifier's, or certainty when it did not run
        findings.add(new Facts.Spam(raised, builtin.map(Facts.Spam::probability).orElse(1.0), category(raised)));
    }

    /**
     * Rspamd's score on the SCL scale, linear in the score with Rspamd's reject threshold at
     * {@link #SCL_AT_REQUIRED}: {@code clamp(round(7 * score / required_score), 0, 9)}. With Rspamd's
     * default thresholds (required 15) that is SCL 3 at "add header" (6), 7 at 15, 9 from 18.2 up.
     * Without a usable threshold the score cannot be placed: 0.
     */
    static int scl(double score, double requiredScore) {
        if (!(requiredScore > 0) || Double.isNaN(score)) return 0;
        return Math.clamp(Math.round(SCL_AT_REQUIRED * score / requiredScore), 0, 9);
    }

    /** Rspamd's symbol names are upper case already, but custom rules may use anything. */
    static String symbolName(String rspamdName) {
        return "RSPAMD_" + rspamdName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    private static String options(RspamdReply.RspamdSymbol s) {
        String joined = String.join(", ", s.options()).replaceAll("\\p{Cntrl}", " ");
        return joined.length() <= 200 ? joined : joined.substring(0, 200) + "...";
    }

    /** EOP's categories, as the built-in classifier reports them. */
    private static String category(int scl) {
        return scl >= 7 ? SpamVerdict.HIGH_CONFIDENCE_SPAM : scl >= 5 ? SpamVerdict.SPAM : SpamVerdict.NONE;
    }
}
