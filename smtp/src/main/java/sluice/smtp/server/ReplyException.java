package sluice.smtp.server;

import sluice.smtp.Reply;

/** A parse or sequencing failure that already knows its answer. Carries no stack trace: it is not a bug. */
final class ReplyException extends Exception {
    private final transient Reply reply;

    ReplyException(Reply reply) {
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    Reply reply() {
        return reply;
    }
}
