package sluice.smtp.client;

import sluice.smtp.Reply;

/**
 * A client-side SMTP failure: where in the session it happened, whether it is worth trying again,
 * and the server's reply when there was one (null for I/O failures and timeouts).
 */
public final class SmtpClientException extends Exception {

    /** The step of the session that failed. */
    public enum Stage { CONNECT, GREETING, EHLO, STARTTLS, MAIL, RCPT, DATA, RSET, QUIT }

    private final Stage stage;
    private final boolean temporary;
    private final transient Reply reply;

    public SmtpClientException(Stage stage, boolean temporary, Reply reply, String message, Throwable cause) {
        super(stage.name().toLowerCase(java.util.Locale.ROOT) + ": " + message, cause);
        this.stage = stage;
        this.temporary = temporary;
        this.reply = reply;
    }

    static SmtpClientException io(Stage stage, String what, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new SmtpClientException(stage, true, null, what + ": " + why, cause);
    }

    static SmtpClientException rejected(Stage stage, Reply reply) {
        return new SmtpClientException(stage, !reply.isPermanent(), reply, "server said " + reply, null);
    }

    public Stage stage() { return stage; }

    /**
     * True when the message content itself failed while it was sent (a bug or a storage error on our side, not the
     * peer's): the cause says why, and belongs in the operator's log only, for it may name files and state of the node.
     */
    public boolean contentFailed() {
        return stage == Stage.DATA && reply == null && getCause() instanceof RuntimeException;
    }

    /** True when another attempt later (or at another host) may succeed; false for a 5xx reply. */
    public boolean isTemporary() { return temporary; }

    /** The server's reply, or null when the failure was not a reply (I/O error, timeout, bad syntax). */
    public Reply reply() { return reply; }
}
