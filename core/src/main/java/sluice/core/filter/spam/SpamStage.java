package sluice.core.filter.spam;

import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Stage;
import sluice.core.filter.Verdict;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Anti-spam as a pipeline stage: the built-in classifier with the organization's own training,
 * producing the SCL and the rule symbols. Internal mail is not scored (the decision gives it SCL -1).
 */
public final class SpamStage implements Stage {

    private static final Pattern NOT_IN_NAME = Pattern.compile("[^A-Z0-9_]");

    private final SpamClassifier classifier;
    private final OrgSpamModels training;

    public SpamStage(SpamClassifier classifier, OrgSpamModels training) {
        this.classifier = classifier;
        this.training = training;
    }

    @Override
    public String name() {
        return "anti-spam";
    }

    @Override
    public Optional<Verdict> inspect(Inspection m, Findings findings) {
        if (m.internal()) return Optional.empty();
        OrgSpamModel overlay = m.organizationId() == null ? null : training.overlay(m.organizationId());
        SpamVerdict v = overlay == null ? classifier.classify(m.content()) : classifier.classify(m.content(), overlay);
        for (Symbol s : v.symbols()) findings.add(new sluice.core.filter.Symbol(symbolName(s.name()), s.weight(), s.detail()));
        findings.add(new Facts.Spam(v.scl(), v.probability(), v.category()));
        return Optional.empty();
    }

    /** The pipeline's symbol names are upper-case words joined by underscores. */
    static String symbolName(String name) {
        String n = NOT_IN_NAME.matcher(name.toUpperCase(Locale.ROOT)).replaceAll("_");
        return n.isEmpty() || !Character.isLetter(n.charAt(0)) ? "SPAM_" + n : n;
    }
}
