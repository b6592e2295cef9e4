package sluice.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Address;
import sluice.core.org.Mailbox;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs a client in as a hosted mailbox: the username is the mailbox's address (or an alias), the
 * password is checked against its Argon2id hash, and against a decoy hash of the same cost when
 * there is no such mailbox or it has no password, so the time taken does not tell which addresses
 * exist. An IP over the failed-login limit is refused before any hash is computed. One INFO line per attempt, never with the password.
 */
final class Login {

    private static final Logger LOG = LoggerFactory.getLogger("sluice.imap.login");

    sealed interface Result {
        record Ok(Mailbox mailbox) implements Result { }
        record Failed() implements Result { }
        record Throttled() implements Result { }
    }

    private final HostedMail mail;
    private final Semaphore verifications;
    private final String decoy;
    final AtomicLong succeeded = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    Login(HostedMail mail, int concurrentVerifications) {
        this.mail = mail;
        this.verifications = new Semaphore(concurrentVerifications);
        this.decoy = mail.passwords().hash(UUID.randomUUID().toString());
    }

    Result attempt(String username, String password, String clientIp, String how) {
        if (mail.loginLimits().loginBlocked(clientIp, mail.clock())) {
            failed.incrementAndGet();
            LOG.info("imap login refused for {} from {} ({}): too many failed logins from this address", username, clientIp, how);
            return new Result.Throttled();
        }
        Optional<Mailbox> mailbox;
        try {
            mailbox = mail.directory().mailboxFor(Address.parse(username));
        } catch (IllegalArgumentException e) {
            mailbox = Optional.empty();
        }
        // Without a mailbox or a password, a decoy hash is verified all the same: timing must not tell which exist.
        String hash = mailbox.map(Mailbox::passwordHash).orElse(null);
        if (verify(password, hash != null ? hash : decoy) && hash != null) {
            succeeded.incrementAndGet();
            LOG.info("imap login ok for {} (mailbox {}) from {} ({})", username, mailbox.get().address(), clientIp, how);
            return new Result.Ok(mailbox.get());
        }
        mail.loginLimits().loginFailed(clientIp, mail.clock());
        failed.incrementAndGet();
        LOG.info("imap login failed for {} from {} ({}): {}", username, clientIp, how,
                mailbox.isEmpty() ? "no such mailbox" : "wrong password or no password set");
        return new Result.Failed();
    }

    private boolean verify(String password, String hash) {
        verifications.acquireUninterruptibly();
        try {
            return mail.passwords().verify(password, hash);
        } finally {
            verifications.release();
        }
    }
}
