/**
 * Anti-spam: the built-in classifier that gives a message a spam confidence level (SCL 0–9).
 *
 * <p>Input: the raw message bytes (and optionally the organization's {@link
 * sluice.core.filter.spam.OrgSpamModel}). Output: a {@link sluice.core.filter.spam.SpamVerdict}
 * with the SCL, a calibrated probability, the named {@link sluice.core.filter.spam.Symbol}s that
 * produced it and an EOP-style category. Deciding what to do with it (Junk folder, quarantine,
 * headers) and when to skip filtering (SCL -1) is the pipeline's and the policy's job, not this
 * package's. Failure modes: none on message content — malformed MIME, binary junk and huge
 * headers are parsed as far as they go, within fixed size caps; a missing or corrupt model
 * resource fails at load time with a message naming the resource.
 *
 * <p>How it decides. The message is parsed with Mime4j (transfer encodings and charsets decoded,
 * HTML rendered to text, links collected) and turned into a set of tokens: words and word pairs
 * from the body, prefixed tokens from selected headers, URL hosts and path words, MIME structure.
 * A statistical model scores the tokens with <b>Robinson's per-token probabilities combined by
 * Fisher's chi-square method</b> (as SpamBayes and Bogofilter do). We chose it over a logistic
 * regression on hashed features because (1) it is trained by counting, so an organization's
 * junk / not-junk reports are just extra counts layered over the shipped model — no retraining,
 * no learning rate, and the overlay persists as a plain count table; (2) it is robust with the
 * small, old training corpus we may use: a token seen a few times is shrunk towards neutral and
 * only the 150 strongest tokens vote, so a flood of unknown modern words leaves the score near
 * 0.5 ("unsure") instead of extreme; (3) it is well understood and explainable.
 *
 * <p>Next to it, and not instead of it, a second statistical score: {@link
 * sluice.core.filter.spam.NgramModel}, a logistic regression over hashed character 4-grams of the
 * start of the message. It needs no vocabulary, so it still recognises a new campaign's wording
 * when the token counts have never seen its words (spam drifts; the time-ordered view below showed
 * it). Its weights ship in the model file and are not changed by an organization's reports, which
 * only add token counts. Both scores enter the calibration as inputs with fitted weights.
 *
 * <p>Named rules (header anomalies, HTML-only, image spam, obfuscation, URL tricks, all-caps
 * subject, traits of bulk-mail scripts such as impossible date zones or "reply with remove",
 * GTUBE) add weights in log-odds units to the statistical score; one more symbol,
 * {@code BAYES_CONFLICT}, marks tokens that argue strongly both ways (chi-square hamminess ≥ 0.9,
 * typical of wanted newsletters) and can only pull towards ham. The weights and the SCL bands are
 * fitted by {@link sluice.core.filter.spam.Train} with cross-validation inside the training split
 * (hard ham folded by sender and weighted up, the SCL 5 cutoff under a false-positive budget per
 * kind of ham and never below P ≈ 0.62, so an unsure score plus a weak header anomaly is not
 * spam), never on held-out mail, and ship in the model resource with the token counts.
 * {@link sluice.core.filter.spam.Validate} adds a time-ordered view inside the training split
 * (train on the older part, score the newest third or half) to foresee newer spam.
 * The split itself is fixed in {@code Corpus} (PRODUCT.md, "Spam corpus split").
 */
package sluice.core.filter.spam;
