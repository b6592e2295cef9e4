package sluice.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.LongSupplier;

/**
 * One IMAP connection, on its own virtual thread: the greeting, then command after command until
 * LOGOUT, autologout or the end of the stream. Not authenticated → (LOGIN, AUTHENTICATE) →
 * authenticated → (SELECT, EXAMINE) → selected. No password is taken before TLS (LOGINDISABLED).
 * The session holds the state and what the commands share; the wire is {@link ClientConnection}, the
 * commands are read and dispatched by {@link CommandLoop}, and {@link FolderSync} keeps the selected
 * folder in step with the store.
 */
final class ImapSession implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    /** The most literal octets a command may carry before login (RFC 7888 LITERAL- sets the same 4096). */
    static final int PRE_LOGIN_LITERAL = 4096;

    final ImapServerConfig config;
    final HostedMail mail;
    private final Runnable onClose;
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
    /** The selected folder kept in step with the store. */
    final FolderSync folderSync;
    private final CommandLoop commands;

    ImapSession(ImapServerConfig config, HostedMail mail, Login login, Socket socket, BufferBudget budget, LongSupplier nanos,
                Runnable onClose) {
        this.config = config;
        this.mail = mail;
        this.onClose = onClose;
        this.buffers = new MessageBuffers(budget, ClientNetwork.of(socket.getInetAddress()));
        this.clientIp = socket.getInetAddress().getHostAddress();
        this.connection = new ClientConnection(socket, config, buffers, clientIp);
        this.folderSync = new FolderSync(this, nanos);
        this.commands = new CommandLoop(this, login);
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
            folderSync.close();
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
        folderSync.watch(mail.folders().changes().watch(m.id()));
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

    int timeoutMillis() {
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
}
