package sluice.core.receive;

import sluice.core.filter.Facts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies mail flow rules' recipient actions to a transaction's accepted recipients: redirectTo
 * replaces them, addBcc adds to them (an address already there is not added twice).
 */
final class RuleRecipients {

    private RuleRecipients() {
    }

    /**
     * Changes {@code accepted} in place; returns the recipients the rules added, made by {@code redirected}
     * for a redirectTo address and {@code copied} for an addBcc one.
     */
    static List<InboundSession.Accepted> apply(Facts.MailFlowRules rules, List<InboundSession.Accepted> accepted,
                                               Function<String, InboundSession.Accepted> redirected,
                                               Function<String, InboundSession.Accepted> copied) {
        List<InboundSession.Accepted> added = new ArrayList<>();
        if (!rules.redirectTo().isEmpty()) {
            accepted.clear();
            for (String a : rules.redirectTo()) added.add(redirected.apply(a));
            accepted.addAll(added);
        }
        Set<String> present = new HashSet<>();
        for (InboundSession.Accepted a : accepted) present.add(a.address().key());
        for (String a : rules.addBcc()) {
            InboundSession.Accepted bcc = copied.apply(a);
            if (present.add(bcc.address().key())) {
                accepted.add(bcc);
                added.add(bcc);
            }
        }
        return added;
    }
}
