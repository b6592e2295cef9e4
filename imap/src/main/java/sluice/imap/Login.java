package sluice.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Address;
import sluice.core.org.Mailbox;
import sluice.core.receive.SubmissionLimits;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a client in as a hosted mailbox: the username is the mailbox's address (or an alias), the
 * password is checked against its Argon2id hash, and against a decoy hash of the same cost when
 * there is no such mailbox or it has no password, so the time taken does not tell which addresses
 * exist. The check runs within the node's {@link SubmissionLimits}, shared with SMTP AUTH: its
 * failed-login limit per client (a client never has more checks running than failures left, so
 * parallel logins gain no guesses, and only a wrong password counts) and its few password checks at a time. One INFO line per attempt, never with the password.
 */
final class Login {

    private static final Logger LOG = LoggerFactory.getLogger("sluice.imap.login");

    sealed interface Result {
        record Ok(Mailbox mailbox) implements Result { }
        record Failed() implements Result { }
        record Throttled() implements Result { }
        /** No password check came free in time: nothing was checked, and nothing counted against the client. */
        record Busy() implements Result { }
    }

    private final HostedMail mail;
    private final String decoy;
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    Login(HostedMail mail) {
        this.mail = mail;
        this.decoy = mail.passwords().hash(UUID.randomUUID().toString());
    }

    Result attempt(String username, String password, String clientIp, String how) {
        Optional<Mailbox> mailbox;
        try {
            mailbox = mail.directory().mailboxFor(Address.parse(username));
        } catch (IllegalArgumentException e) {
            mailbox = Optional.empty();
        }
        // Without a mailbox or a password, a decoy hash is verified all the same: timing must not tell which exist.
        String hash = mailbox.map(Mailbox::passwordHash).orElse(null);
        String checked = hash != null ? hash : decoy;
        String user = ClientText.forLog(username);
        return switch (mail.loginLimits().checkLogin(clientIp, mail.clock(), () -> mail.passwords().verify(password, checked) && hash != null)) {
            case ACCEPTED -> {
                succeeded.incrementAndGet();
                LOG.info("imap login ok for {} (mailbox {}) from {} ({})", user, mailbox.get().address(), clientIp, how);
                yield new Result.Ok(mailbox.get());
            }
            case REJECTED -> {
                failed.incrementAndGet();
                LOG.info("imap login failed for {} from {} ({}): {}", user, clientIp, how,
                        mailbox.isEmpty() ? "no such mailbox" : "wrong password or no password set");
                yield new Result.Failed();
            }
            case THROTTLED -> {
                failed.incrementAndGet();
                LOG.info("imap login refused for {} from {} ({}): too many failed logins from this address", user, clientIp, how);
                yield new Result.Throttled();
            }
            case BUSY -> {
                LOG.info("imap login deferred for {} from {} ({}): no password check came free in time", user, clientIp, how);
                yield new Result.Busy();
            }
        };
    }
}
