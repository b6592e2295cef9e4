package sluice.imap;

import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.Directory;
import sluice.core.org.Passwords;
import sluice.core.receive.SubmissionLimits;

import java.time.InstantSource;
import java.util.Objects;

/**
 * What IMAP sessions read and change: the directory and passwords to log in (the same Argon2id
 * hashes and the same failed-login throttle as SMTP submission, so switching protocol gains an
 * attacker no guesses), and the mailbox store's messages and folders.
 */
public record HostedMail(Directory directory, Passwords passwords, SubmissionLimits loginLimits,
                         MailboxStore store, MailboxFolders folders, InstantSource clock) {
    public HostedMail {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(passwords, "passwords");
        Objects.requireNonNull(loginLimits, "loginLimits");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(clock, "clock");
    }
}
