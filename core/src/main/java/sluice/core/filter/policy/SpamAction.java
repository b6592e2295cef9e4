package sluice.core.filter.policy;

/** EOP's anti-spam actions. */
public enum SpamAction {
    /** Deliver to the Junk Email folder. */
    MOVE_TO_JMF,
    /** Deliver to the Inbox with the verdict in a header only. */
    ADD_X_HEADER,
    /** Deliver to the Inbox with the subject prefixed. */
    MODIFY_SUBJECT,
    QUARANTINE,
    /** Refuse in the SMTP dialogue. */
    REJECT,
    NO_ACTION
}
