package sluice.smtp.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.smtp.Reply;
import sluice.smtp.Transaction;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * DATA (RFC 5321 section 4.1.1.4) and BDAT (RFC 3030). Message content is always read to its end
 * (the end-of-data line, or the announced chunk size) before any refusal, so the client and server
 * stay in step and no content is ever taken for commands.
 *
 * <p>Content refusals after the end of data, in this order ({@link ContentFault}): bare CR or LF
 * {@code 554 5.6.11} (the code Exchange Online uses for bare line feeds); NUL {@code 554 5.6.0}; over
 * {@code maxMessageSize} {@code 552 5.3.4}; a line over 1000 octets {@code 554 5.6.0} (after DATA a
 * 500 would read as "command unrecognized"); more Received fields than {@code maxReceivedHeaders}
 * {@code 554 5.4.14}; the node's buffer budget ran out while the content arrived {@code 452 4.3.1}
 * (see {@link BufferBudget}). None of them reaches the handler. DATA in a BDAT transaction is
 * {@code 503 5.5.1}; a malformed BDAT line loses the framing, so it is answered
 * {@code 501 5.5.4} and the connection closed.
 */
final class MessageReceiver {

    private static final Logger log = LoggerFactory.getLogger(MessageReceiver.class);
    private static final Pattern BDAT_ARGS = Pattern.compile("(\\d{1,18})(?: +(?i:LAST))? *");

    private final Session session;
    private final SessionState state;
    private final SmtpServerConfig config;

    MessageReceiver(Session session) {
        this.session = session;
        this.state = session.state;
        this.config = session.config;
    }

    void data(String arg) throws IOException, ReplyException {
        if (!arg.isBlank()) throw new ReplyException(Replies.syntax("DATA"));
        if (!state.inTransaction()) throw new ReplyException(Replies.NEED_MAIL);
        if (state.chunks != null) throw new ReplyException(Replies.DATA_AFTER_BDAT);
        if (state.recipients.isEmpty()) throw new ReplyException(Replies.NO_VALID_RECIPIENTS);
        session.send(Replies.START_MAIL_INPUT);
        ByteSink sink = session.messageSink();
        try {
            session.beginTransfer();
            session.setTimeout(config.dataTimeout());
            DataReader.Result result = DataReader.read(session.in(), sink);
            session.setTimeout(config.commandTimeout());
            finish(result.content(), result.fault());
        } finally {
            sink.release(); // only now: until the handler answered, the content was still held
        }
    }

    void bdat(String arg) throws IOException {
        var m = BDAT_ARGS.matcher(arg);
        if (!m.matches()) throw new SessionEnd(Replies.syntax("BDAT chunk-size [LAST]"), "malformed BDAT");
        long size = Long.parseLong(m.group(1));
        boolean last = arg.strip().length() > m.group(1).length();
        Reply refusal = !state.inTransaction() ? Replies.NEED_MAIL
                : state.recipients.isEmpty() ? Replies.NO_VALID_RECIPIENTS : null;
        session.beginTransfer(); // for the whole transaction, not per chunk: chunks are no way around the deadline
        session.setTimeout(config.dataTimeout());
        if (refusal != null) {
            session.in().readExactly(size, ByteSink.discarding());
            state.transferring = false;
            session.setTimeout(config.commandTimeout());
            session.error(refusal);
            return;
        }
        if (state.chunks == null) state.chunks = session.messageSink();
        session.in().readExactly(size, state.chunks);
        session.setTimeout(config.commandTimeout());
        if (state.chunks.overflowed() || state.chunks.starved()) {
            Reply reply = state.chunks.overflowed() ? Replies.MESSAGE_TOO_BIG : Replies.INSUFFICIENT_STORAGE;
            session.resetTransaction();
            session.send(reply);
        } else if (!last) {
            session.send(Reply.of(250, "2.0.0", size + " octets received"));
        } else {
            byte[] content = state.chunks.content();
            ContentFault fault = MessageChecks.textFault(content); // no BINARYMIME: every message is text
            finish(content, fault);
        }
    }

    private void finish(byte[] content, ContentFault fault) throws IOException {
        Reply reply;
        if (fault != null) {
            log.info("smtp {} message refused: {}", session.info.sessionId(), fault);
            reply = fault.reply();
        } else {
            int received = MessageChecks.receivedCount(content);
            if (received > config.maxReceivedHeaders()) {
                log.info("smtp {} message refused: {} Received fields", session.info.sessionId(), received);
                reply = Replies.HOP_COUNT;
            } else {
                Transaction t = new Transaction(session.info, state.heloName, state.esmtp, state.tls, state.authenticatedAs,
                        state.mailFrom, state.recipients, content, received);
                reply = session.ask("data", () -> session.handler().data(t));
                if (reply.isPositive()) session.accepted(); // errors count "without delivering mail", as Postfix's
            }
        }
        session.resetTransaction();
        session.send(reply);
    }
}
