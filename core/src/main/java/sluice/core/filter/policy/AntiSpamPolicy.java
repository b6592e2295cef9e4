package sluice.core.filter.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * An organization's anti-spam and anti-spoofing policy (data the admin edits).
 *
 * @param spamScl                  SCL at or above which a message is spam (EOP: 5)
 * @param highConfidenceSpamScl    SCL at or above which it is high-confidence spam (EOP: 7)
 * @param dmarcRejectAction        for DMARC fail with p=reject (honoured by default: REJECT)
 * @param dmarcQuarantineAction    for DMARC fail with p=quarantine (default QUARANTINE)
 * @param spoofAction              for failed composite authentication without a DMARC verdict (default MOVE_TO_JMF)
 * @param quarantineRetention      how long spam stays in quarantine (EOP: 15 days)
 */
public record AntiSpamPolicy(int spamScl, int highConfidenceSpamScl, SpamAction spamAction,
                             SpamAction highConfidenceSpamAction, String subjectPrefix, SpamAction dmarcRejectAction,
                             SpamAction dmarcQuarantineAction, SpamAction spoofAction, Duration quarantineRetention) {

    public static final AntiSpamPolicy DEFAULT = new AntiSpamPolicy(5, 7, SpamAction.MOVE_TO_JMF,
            SpamAction.QUARANTINE, "[SPAM] ", SpamAction.REJECT, SpamAction.QUARANTINE, SpamAction.MOVE_TO_JMF,
            Duration.ofDays(15));

    public AntiSpamPolicy {
        if (spamScl < 1 || spamScl > 9 || highConfidenceSpamScl < spamScl || highConfidenceSpamScl > 9)
            throw new IllegalArgumentException("need 1 <= spamScl <= highConfidenceSpamScl <= 9");
        Objects.requireNonNull(spamAction);
        Objects.requireNonNull(highConfidenceSpamAction);
        Objects.requireNonNull(dmarcRejectAction);
        Objects.requireNonNull(dmarcQuarantineAction);
        Objects.requireNonNull(spoofAction);
        if (quarantineRetention.isNegative() || quarantineRetention.isZero())
            throw new IllegalArgumentException("quarantineRetention must be positive");
        if (subjectPrefix == null) subjectPrefix = "";
    }
}
