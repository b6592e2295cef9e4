package sluice.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * A session's commands one after another, until LOGOUT or the end of the stream: the commands of any
 * state (CAPABILITY, NOOP, CHECK, LOGOUT, ID, STARTTLS) run here, the others in the command set of the
 * session's state; a command that fails is answered {@code BAD}, {@code NO [LIMIT]} or {@code NO [UNAVAILABLE]}.
 */
final class CommandLoop {

    /** The session's logger: operators filter on its name. */
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    private final ImapSession s;
    private final LoginCommands loginCommands;
    private final AuthenticatedCommands authenticatedCommands;
    private final SelectedCommands selectedCommands;
    private boolean logout;

    CommandLoop(ImapSession session, Login login) {
        this.s = session;
        this.loginCommands = new LoginCommands(session, login);
        this.authenticatedCommands = new AuthenticatedCommands(session);
        this.selectedCommands = new SelectedCommands(session);
    }

    /** True once the client logged out. */
    boolean loggedOut() {
        return logout;
    }

    void run() throws IOException {
        while (!logout) {
            try {
                if (!next()) return;
            } finally {
                s.buffers.release(); // the command is done with its message, stored or not
            }
        }
    }

    /** Reads and runs one command; false at the end of the stream. */
    private boolean next() throws IOException {
        CommandReader.Command command;
        try {
            command = s.connection.reader().read();
        } catch (CommandReader.Refused e) {
            s.send(e.tag + " " + e.status + " " + e.getMessage());
            return true;
        }
        if (command == null) return false;
        s.recheckLogin();
        String text = command.text();
        int sp = text.indexOf(' ');
        String tag = sp < 0 ? text : text.substring(0, sp);
        if (!Args.isTag(tag)) {
            s.send("* BAD " + (text.isBlank() ? "empty command line" : "the command must start with a tag"));
            return true;
        }
        if (sp < 0) {
            s.bad(tag, "missing command name");
            return true;
        }
        Args args = new Args(text, command.literals(), sp + 1);
        try {
            execute(tag, Args.upper(args.atom()), args);
        } catch (ImapSyntaxException e) {
            s.bad(tag, e.getMessage());
        } catch (ImapLimitException e) {
            s.no(tag, "[LIMIT] " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("imap command {} from {} failed: {}", ClientText.forLog(text.split(" ", 3).length > 1 ? text.split(" ", 3)[1] : "?"), s.clientIp, e.toString());
            s.no(tag, "[UNAVAILABLE] The mailbox store is unavailable; try again later");
        }
        return true;
    }

    private void execute(String tag, String command, Args a) throws IOException {
        switch (command) {
            case "CAPABILITY" -> {
                a.end();
                s.send("* CAPABILITY " + s.capabilities());
                s.ok(tag, "CAPABILITY completed");
            }
            case "NOOP", "CHECK" -> {
                a.end();
                if (s.selected != null) s.folderSync.sync(true);
                s.ok(tag, command + " completed");
            }
            case "LOGOUT" -> {
                a.end();
                s.send("* BYE " + s.config.hostname() + " logging out");
                s.ok(tag, "LOGOUT completed");
                logout = true;
            }
            case "ID" -> {
                a.sp();
                s.send("* ID (\"name\" \"Sluice\")");
                s.ok(tag, "ID completed");
            }
            case "STARTTLS" -> startTls(tag, a);
            case "LOGIN" -> loginCommands.login(tag, a);
            case "AUTHENTICATE" -> loginCommands.authenticate(tag, a);
            default -> {
                if (s.mailbox == null) {
                    s.send(tag + (isKnown(command) ? " BAD Log in first" : " BAD Unknown command " + command));
                } else if (!authenticatedCommands.execute(tag, command, a)
                        && !selectedCommands.execute(tag, command, a)) {
                    s.bad(tag, "Unknown command " + command);
                }
            }
        }
    }

    private static boolean isKnown(String command) {
        return List.of("SELECT", "EXAMINE", "LIST", "LSUB", "STATUS", "NAMESPACE", "CREATE", "DELETE", "RENAME",
                "SUBSCRIBE", "UNSUBSCRIBE", "APPEND", "IDLE", "FETCH", "STORE", "SEARCH", "COPY", "MOVE", "EXPUNGE",
                "CLOSE", "UNSELECT", "UID").contains(command);
    }

    private void startTls(String tag, Args a) throws IOException {
        a.end();
        if (s.connection.tls()) {
            s.bad(tag, "TLS is already active");
            return;
        }
        s.ok(tag, "Begin TLS negotiation now");
        s.connection.upgrade(s.config.sslContext(), s.literalLimit());
    }
}
