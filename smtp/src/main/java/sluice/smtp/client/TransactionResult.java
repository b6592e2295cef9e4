package sluice.smtp.client;

import sluice.smtp.Reply;

import java.util.List;

/**
 * The replies of one mail transaction. {@code rcpt} has one reply per recipient sent (it is empty
 * when MAIL was refused without pipelining); {@code data} is null when DATA was not sent because no
 * recipient was accepted.
 */
public record TransactionResult(Reply mail, List<Reply> rcpt, Reply data) {

    public TransactionResult {
        rcpt = List.copyOf(rcpt);
    }

    /** The reply that decides recipient {@code i}: MAIL's if refused, else RCPT's if refused, else DATA's. */
    public Reply replyFor(int i) {
        if (!mail.isPositive()) return mail;
        Reply r = rcpt.get(i);
        if (!r.isPositive()) return r;
        return data;
    }

    public boolean anyAccepted() {
        return mail.isPositive() && rcpt.stream().anyMatch(Reply::isPositive);
    }
}
