package sluice.core.filter.spam;

/**
 * The named rules of the built-in filter. Each has a prior weight in log-odds units, chosen by
 * hand from how often the pattern shows up in spam versus legitimate mail (the SpamAssassin rule
 * statistics are a fair guide). {@code Train} refits the weights on the training split (a
 * regularised logistic regression pulled towards these priors) and ships them in the model, so a
 * rule that never fires in the old training corpus (zero-width characters did not exist in 2002
 * spam) keeps its prior instead of dropping to zero.
 */
enum Rule {
    GTUBE(100.0, "the GTUBE anti-spam test string"),
    // Neither header is ever missing in the 2002 training corpus, so these weights stay at their
    // priors; kept small because mail from scripts and devices often lacks them and MISSING_DATE on
    // its own must never lift a clean message with an unsure statistical score to SCL 5.
    MISSING_DATE(0.4, "no Date header"),
    MISSING_MESSAGE_ID(0.4, "no Message-ID header"),
    DATE_IN_FUTURE(1.0, "Date more than 24 hours after the message was received"),
    DATE_IN_PAST(1.0, "Date more than 96 hours before the message was received"),
    FORGED_RECEIVED(1.0, "a Received header whose HELO contradicts the connecting address"),
    FROM_NAME_HAS_ADDRESS(1.5, "From display name contains a different e-mail address"),
    REPLYTO_OTHER_DOMAIN(0.5, "Reply-To in a different domain than From"),
    HTML_ONLY(0.7, "HTML without a plain-text alternative"),
    HTML_IMAGE_LITTLE_TEXT(1.2, "HTML with images and little text"),
    MIXED_SCRIPTS(1.5, "words mixing Latin with Cyrillic or Greek letters"),
    ZERO_WIDTH_CHARS(1.2, "zero-width or soft-hyphen characters inside the text"),
    ENTITY_OBFUSCATION(1.5, "plain letters written as numeric HTML entities"),
    URL_IP_HOST(1.5, "a link to a bare IP address"),
    URL_TEXT_MISMATCH(1.5, "link text names another domain than the link goes to"),
    URL_SHORTENER(0.7, "a link through a URL shortener"),
    SUBJECT_ALL_CAPS(1.0, "Subject in capital letters only"),
    DATE_BAD_ZONE(1.0, "Date with an impossible or non-standard time zone"),
    SUBJECT_EXCLAIM(0.7, "several exclamation marks in the Subject"),
    RECEIVED_DYNAMIC(1.0, "sent straight from a dial-up, DSL or cable address"),
    BODY_EXCLAIM(0.7, "several runs of exclamation marks in the text"),
    BODY_SHOUTING(0.7, "many words in capitals"),
    REMOVE_INSTRUCTIONS(1.0, "tells the reader to reply \"remove\" to stop the mail"),
    /**
     * Not a message rule: set by the classifier when the chi-square hamminess is significant
     * ({@link ChiSquare.Score#conflicting()}), i.e. the tokens argue strongly for ham as well as
     * for spam — typical of newsletters and marketing people asked for. Fitted (never above 0).
     */
    BAYES_CONFLICT(0.0, "the statistical tokens argue strongly both ways (chi-square hamminess >= 0.9)");

    private final double priorWeight;
    private final String description;

    Rule(double priorWeight, String description) {
        this.priorWeight = priorWeight;
        this.description = description;
    }

    double priorWeight() {
        return priorWeight;
    }

    String description() {
        return description;
    }
}
