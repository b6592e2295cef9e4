package sluice.smtp.server;

import sluice.smtp.Reply;

/** Ends the session from anywhere in a command: the reply (if any) is sent, then the connection closed. */
final class SessionEnd extends RuntimeException {
    private final transient Reply reply;

    SessionEnd(Reply reply, String reason) {
        super(reason, null, false, false);
        this.reply = reply;
    }

    /** The last reply to send, or null to close silently. */
    Reply reply() {
        return reply;
    }
}
