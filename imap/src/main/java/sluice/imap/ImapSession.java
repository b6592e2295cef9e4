package sluice.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mailbox.MailboxChanges;
import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxFolders.Key;
import sluice.core.mailbox.MailboxFolders.Snapshot;
import sluice.core.mailbox.MailboxFolders.UserFolder;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.mailbox.MailboxStore.QuotaExceeded;
import sluice.core.org.Mailbox;
import sluice.smtp.ClientNetwork;
import sluice.smtp.server.BufferBudget;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.LongSupplier;

/**
 * One IMAP connection, on its own virtual thread: the greeting, then command after command until
 * LOGOUT, autologout or the end of the stream. Not authenticated → (LOGIN, AUTHENTICATE) →
 * authenticated → (SELECT, EXAMINE) → selected. No password is taken before TLS (LOGINDISABLED).
 */
final class ImapSession implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    /** The most literal octets a command may carry before login (RFC 7888 LITERAL- sets the same 4096). */
    static final int PRE_LOGIN_LITERAL = 4096;

    final ImapServerConfig config;
    final HostedMail mail;
    private final Runnable onClose;
    /** Monotonic time for how old the selected folder's last read is: a wall clock stepped back would delay the re-read. */
    private final LongSupplier nanos;
    /** This session's APPEND and FETCH messages in memory, within the node's budget; given back after every command. */
    final MessageBuffers buffers;
    final ClientConnection connection;
    private LoginDeadline loginDeadline;
    private boolean saidBye;
    final String clientIp;
    Mailbox mailbox;
    /** The password hash the session logged in with: when the directory's differs, the login is revoked. */
    private String loginHash;
    SelectedFolder selected;
    /** The change signal of the logged-in mailbox, watched while the session lasts. */
    private MailboxChanges.Watch changes;
    private final CommandLoop commands;

    ImapSession(ImapServerConfig config, HostedMail mail, Login login, Socket socket, BufferBudget budget, LongSupplier nanos,
                Runnable onClose) {
        this.config = config;
        this.nanos = nanos;
        this.mail = mail;
        this.commands = new CommandLoop(this, login);
        this.onClose = onClose;
        this.buffers = new MessageBuffers(budget, ClientNetwork.of(socket.getInetAddress()));
        this.clientIp = socket.getInetAddress().getHostAddress();
        this.connection = new ClientConnection(socket, config, buffers, clientIp);
    }

    @Override
    public void run() {
        // No try-with-resources: it would close the socket before the catch clauses could say BYE.
        try {
            loginDeadline = new LoginDeadline(config.loginDeadline(), connection.tcp());
            connection.soTimeout(timeoutMillis());
            if (config.implicitTls()) connection.upgrade(config.sslContext(), literalLimit());
            else connection.streams(literalLimit());
            send("* OK [CAPABILITY " + capabilities() + "] " + config.hostname() + " IMAP4rev1 ready");
            commands.run();
        } catch (SocketTimeoutException e) {
            quietly("* BYE Autologout; idle for too long");
        } catch (CommandReader.FatalInput | SessionEnded e) {
            quietly("* BYE " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.debug("imap session from {} ended: {}", clientIp, e.toString());
        } catch (Throwable e) {
            // An Error (a StackOverflowError from a hostile command, say) would otherwise end the thread with
            // a stack trace on stderr and no word to the client: one line in the log, BYE, close.
            LOG.warn("imap session from {} failed: {}", clientIp, e.toString());
            quietly("* BYE Internal server error; connect again");
        } finally {
            if (loginDeadline.expired() && mailbox == null && !commands.loggedOut()) {
                quietly("* BYE Autologout; too long without logging in; connect again and log in");
            }
            loginDeadline.stop();
            buffers.release(); // a message read when the connection broke
            if (changes != null) changes.close();
            connection.close();
            onClose.run();
        }
    }

    String capabilities() {
        StringBuilder b = new StringBuilder("IMAP4rev1 LITERAL+ SASL-IR ID IDLE MOVE NAMESPACE UNSELECT SPECIAL-USE UIDPLUS");
        b.append(" APPENDLIMIT=").append(config.maxMessageSize());
        if (!connection.tls()) b.append(" STARTTLS LOGINDISABLED");
        else if (mailbox == null) b.append(" AUTH=PLAIN");
        return b.toString();
    }

    /** After a successful LOGIN or AUTHENTICATE: the authenticated state, with its larger limits and longer timeout. */
    void loggedIn(Mailbox m) throws IOException {
        // The deadline may have passed while the password was checked: then its BYE is said, not OK.
        if (!loginDeadline.stop()) throw new IOException("the login deadline passed during the password check");
        mailbox = m;
        loginHash = m.passwordHash();
        changes = mail.folders().changes().watch(m.id());
        connection.reader().literalLimit(literalLimit());
        connection.reader().appendLimit(config.maxMessageSize());
        connection.soTimeout(timeoutMillis());
    }

    boolean tls() {
        return connection.tls();
    }

    /**
     * Ends the session when its mailbox was deleted or its password changed or removed since login:
     * resetting a stolen password must also cut off the thief's open sessions, IDLE ones included, not
     * only refuse the next login. The directory answers from memory, so this runs before every command
     * and at every IDLE poll; the fresh record also replaces the one from login.
     */
    void recheckLogin() throws SessionEnded {
        if (mailbox == null) return;
        Optional<Mailbox> now = mail.directory().mailbox(mailbox.id());
        String why = now.isEmpty() ? "This mailbox was deleted; logging out"
                : !Objects.equals(now.get().passwordHash(), loginHash) ? "The password of this mailbox was changed or removed; log in again"
                : null;
        if (why != null) {
            LOG.info("imap session of {} from {} ended: {}", mailbox.address(), clientIp, why);
            throw new SessionEnded(why);
        }
        mailbox = now.get();
    }

    /**
     * The selectable folder a client's name means: INBOX or a special-use folder in any case, or a
     * folder the client created, by its exact name; null when there is none.
     */
    Key key(String name) {
        String n = FolderName.normalize(name);
        Folder special = FolderName.special(n);
        if (special != null) return Key.of(special);
        for (UserFolder f : mail.folders().userFolders(mailbox.id())) {
            if (f.name().equals(n)) return f.selectable() ? f.key() : null;
        }
        return null;
    }

    Snapshot snapshot(Key f) {
        return mail.folders().folder(mailbox.id(), f);
    }

    /**
     * Runs a change that adds messages to the folder {@code name} (APPEND, COPY, MOVE); when the
     * quota or a folder deleted meanwhile refuses it, answers NO and returns null.
     */
    <T> T adding(String tag, String name, Supplier<T> change) throws IOException {
        try {
            return change.get();
        } catch (QuotaExceeded e) {
            no(tag, "[OVERQUOTA] The mailbox is over its quota");
        } catch (MailboxFolders.Refused e) {
            no(tag, "[TRYCREATE] No folder " + name);
        }
        return null;
    }

    /** The mailbox's quota as the directory has it now, as delivery reads it. */
    long quota() {
        return mail.directory().mailbox(mailbox.id()).map(Mailbox::quotaBytes).orElse(mailbox.quotaBytes());
    }

    /** Reads folder {@code f} from the store for SELECT or EXAMINE. */
    SelectedFolder open(Key f, boolean readOnly) {
        long version = changes.version(); // before the read: a write committed after it raises the version
        long at = nanos.getAsLong();
        SelectedFolder folder = new SelectedFolder(f, readOnly, snapshot(f));
        folder.read(version, at);
        return folder;
    }

    /**
     * Tells the client what changed in the selected folder since it last heard. The store is read only
     * when the mailbox's change signal moved since the last read, or that read is getting old (see
     * {@link SelectedFolder#current}): IDLE calls this at every poll, and a thousand idle sessions
     * must not cost hundreds of store queries a second.
     */
    void sync(boolean expungeAllowed) throws IOException {
        sync(expungeAllowed, false);
    }

    /** ... with the UID in each FETCH response {@code withUid}, as in a UID command's answer. */
    void sync(boolean expungeAllowed, boolean withUid) throws IOException {
        long now = nanos.getAsLong();
        if (!selected.current(changes, now, expungeAllowed)) {
            long version = changes.version();
            List<String> lines = selected.sync(snapshot(selected.key), expungeAllowed, withUid);
            selected.read(version, now);
            for (String line : lines) write(line);
        }
        flush();
    }

    /** Reads lines during IDLE, looking for changes between reads; returns the line that ended IDLE, or null at end of stream. */
    String idleLine() throws IOException {
        long deadline = System.nanoTime() + config.idleTimeout().toNanos();
        connection.soTimeout((int) config.idlePoll().toMillis());
        try {
            while (true) {
                try {
                    return connection.reader().readLine();
                } catch (SocketTimeoutException poll) {
                    if (System.nanoTime() > deadline) throw poll;
                    recheckLogin();
                    if (selected != null) sync(true);
                }
            }
        } finally {
            connection.soTimeout(timeoutMillis());
        }
    }

    private int timeoutMillis() {
        return (int) config.timeout(mailbox != null).toMillis();
    }

    int literalLimit() {
        return mailbox != null ? config.maxLiteral() : Math.min(PRE_LOGIN_LITERAL, config.maxLiteral());
    }

    void ok(String tag, String text) throws IOException {
        send(tag + " OK " + text);
    }

    /**
     * A tagged NO. {@code text} may quote the client (a folder name, a charset, a parser's complaint): its
     * control characters are replaced, since a CRLF in resp-text would end the response and start one the
     * server never sent (RFC 9051 section 9, TEXT-CHAR).
     */
    void no(String tag, String text) throws IOException {
        send(tag + " NO " + ClientText.forReply(text));
    }

    /** A tagged BAD, its text made safe as {@link #no}'s. */
    void bad(String tag, String text) throws IOException {
        send(tag + " BAD " + ClientText.forReply(text));
    }

    void send(String line) throws IOException {
        write(line);
        flush();
    }

    void write(String line) throws IOException {
        connection.write(line);
    }

    void write(byte[] bytes) throws IOException {
        connection.write(bytes);
    }

    /** The buffered stream to the client, for responses that write literal data straight through. */
    OutputStream output() {
        return connection.output();
    }

    void flush() throws IOException {
        connection.flush();
    }

    /** Says {@code line} (a BYE) when the connection still takes it, once per session. */
    private void quietly(String line) {
        if (saidBye) return;
        saidBye = true;
        try {
            if (connection.canWrite()) send(line);
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
