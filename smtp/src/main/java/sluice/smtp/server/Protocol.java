package sluice.smtp.server;

import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command state machine of RFC 5321: one line in, one reply out.
 *
 * <p>Reply choices: unknown verb {@code 500 5.5.1}; line over 512 octets {@code 500 5.5.6}; NUL or
 * invalid UTF-8 {@code 500 5.5.2}; bad arguments {@code 501 5.5.4}, bad sender/recipient syntax
 * {@code 501 5.1.7}/{@code 501 5.1.3}; out of sequence {@code 503 5.5.1}; DATA with no accepted
 * recipient {@code 554 5.5.1}; unknown MAIL/RCPT parameter {@code 555 5.5.4}; SIZE over the limit
 * {@code 552 5.3.4}; non-ASCII address without SMTPUTF8 {@code 553 5.6.7} (RFC 6531 section 3.5);
 * source route in RCPT {@code 553 5.7.1}; recipient over the limit {@code 452 4.5.3}; MAIL before
 * TLS where required {@code 530 5.7.0}; VRFY {@code 252 2.1.5} (never confirms a user; X.1.5, since
 * X.5.2 means a syntax error); EXPN {@code 502 5.5.1}.
 *
 * <p>Pipelining (RFC 2920 section 3.1): EHLO, HELO, DATA, VRFY, EXPN and NOOP must end a group. A
 * client that sent more before their reply did not wait where it had to (after DATA it would be
 * sending content before 354, which becomes commands if DATA is refused) and is refused with
 * {@code 554 5.5.0} and disconnected. Octets after STARTTLS are dropped instead (RFC 3207 section
 * 4.2), and nothing after QUIT is read.
 */
final class Protocol {

    private static final int MAX_COMMAND_LINE = 512;
    private static final Set<String> MUST_END_GROUP = Set.of("EHLO", "HELO", "DATA", "VRFY", "EXPN", "NOOP");
    private static final Reply NON_ASCII = Reply.of(553, "5.6.7", "Non-ASCII addresses require the SMTPUTF8 parameter");

    private final Session session;
    private final SessionState state;
    private final SmtpServerConfig config;
    private final MessageReceiver receiver;
    private final AuthExchange auth;

    Protocol(Session session) {
        this.session = session;
        this.state = session.state;
        this.config = session.config;
        this.receiver = new MessageReceiver(session);
        this.auth = new AuthExchange(session);
    }

    /** Handles one command line; false once the session should end (QUIT). */
    boolean handle(WireInput.Line line) throws IOException {
        if (line.bareLineEnd()) throw new SessionEnd(Replies.bareLineEndInCommand(config.hostname()), "bare CR or LF in command");
        byte[] octets = line.octets();
        boolean authLine = octets.length >= 5 && new String(octets, 0, 5, StandardCharsets.ISO_8859_1).equalsIgnoreCase("AUTH ");
        if (line.tooLong() || (!authLine && octets.length + 2 > MAX_COMMAND_LINE)) {
            session.error(Replies.LINE_TOO_LONG);
            return true;
        }
        if (line.nul()) {
            session.error(Replies.NUL_IN_COMMAND);
            return true;
        }
        String text = utf8(octets);
        if (text == null) {
            session.error(Replies.BAD_UTF8);
            return true;
        }
        int sp = text.indexOf(' ');
        String verb = (sp < 0 ? text : text.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : text.substring(sp + 1);
        if (MUST_END_GROUP.contains(verb) && session.in().hasPending())
            throw new SessionEnd(Replies.pipeliningViolation(config.hostname(), verb), "pipelining after " + verb);
        try {
            return dispatch(verb, arg);
        } catch (ReplyException e) {
            session.error(e.reply());
            return true;
        }
    }

    private boolean dispatch(String verb, String arg) throws IOException, ReplyException {
        switch (verb) {
            case "EHLO" -> helo(arg, true);
            case "HELO" -> helo(arg, false);
            case "MAIL" -> mail(arg);
            case "RCPT" -> rcpt(arg);
            case "DATA" -> receiver.data(arg);
            case "BDAT" -> receiver.bdat(arg);
            case "RSET" -> rset(arg);
            case "NOOP" -> session.send(Replies.OK);
            case "HELP" -> session.send(Replies.HELP);
            case "VRFY" -> session.send(requireArgument(arg, "VRFY <address>", Replies.VRFY));
            case "EXPN" -> session.send(requireArgument(arg, "EXPN <list>", Replies.EXPN));
            case "STARTTLS" -> startTls(arg);
            case "AUTH" -> auth.auth(arg);
            case "QUIT" -> {
                session.send(Replies.closing(config.hostname()));
                return false;
            }
            default -> session.error(Replies.UNKNOWN_COMMAND);
        }
        return true;
    }

    private void helo(String arg, boolean extended) throws IOException, ReplyException {
        String domain = arg.strip();
        if (domain.isEmpty() || domain.contains(" ") || domain.chars().anyMatch(c -> c < 33 || c == 127))
            throw new ReplyException(Replies.syntax(extended ? "EHLO hostname" : "HELO hostname"));
        session.resetTransaction(); // RFC 5321 section 4.1.4: EHLO implies RSET
        state.heloName = null;
        Reply r = session.ask("helo", () -> orDefault(session.handler().helo(domain, extended)));
        if (!r.isPositive()) {
            session.send(r);
            return;
        }
        state.heloName = domain;
        state.esmtp = extended;
        session.send(extended ? ehloReply() : (r == DEFAULT ? Reply.of(250, config.hostname()) : r));
    }

    /** Stands for "the handler had nothing to say" (a null from helo()). */
    private static final Reply DEFAULT = Reply.of(250, "default");

    private static Reply orDefault(Reply r) {
        return r == null ? DEFAULT : r;
    }

    /**
     * No BINARYMIME (RFC 3030): delivery cannot pass binary content on (it would rewrite its CRs and LFs),
     * and content that skips the text checks would let a bare CR hide header fields from every check here
     * that the next hop then reads as real ones.
     */
    private Reply ehloReply() {
        List<String> lines = new ArrayList<>(List.of(config.hostname(), "PIPELINING", "SIZE " + config.maxMessageSize(),
                "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "DSN", "CHUNKING"));
        if (config.startTlsAvailable() && state.tls == null) lines.add("STARTTLS");
        if (auth.advertised()) lines.add("AUTH PLAIN LOGIN");
        return new Reply(250, null, lines);
    }

    private void mail(String arg) throws IOException, ReplyException {
        if (!arg.regionMatches(true, 0, "FROM:", 0, 5)) throw new ReplyException(Replies.syntax("MAIL FROM:<address> [parameters]"));
        if (state.heloName == null) throw new ReplyException(Replies.SEND_HELO_FIRST);
        if (state.inTransaction()) throw new ReplyException(Replies.NESTED_MAIL);
        if (config.requireTls() && state.tls == null) throw new ReplyException(Replies.MUST_STARTTLS);
        PathParser.Path path = PathParser.reversePath(arg.substring(5));
        MailFrom mailFrom = EsmtpParameters.mailFrom(path.address(), path.parameters(), config.maxMessageSize(), config.authEnabled());
        if (path.nonAscii() && !mailFrom.smtpUtf8()) throw new ReplyException(NON_ASCII);
        Reply r = session.ask("mail", () -> session.handler().mail(mailFrom));
        if (r.isPositive()) state.mailFrom = mailFrom;
        session.send(r);
    }

    private void rcpt(String arg) throws IOException, ReplyException {
        if (!arg.regionMatches(true, 0, "TO:", 0, 3)) throw new ReplyException(Replies.syntax("RCPT TO:<address> [parameters]"));
        if (!state.inTransaction()) throw new ReplyException(Replies.NEED_MAIL);
        PathParser.Path path = PathParser.forwardPath(arg.substring(3));
        RcptTo rcptTo = EsmtpParameters.rcptTo(path.address(), path.parameters());
        if (path.nonAscii() && !state.mailFrom.smtpUtf8()) throw new ReplyException(NON_ASCII);
        if (state.recipients.size() >= config.maxRecipients()) {
            session.send(Replies.TOO_MANY_RECIPIENTS); // RFC 5321 section 4.5.3.1.10: not an error of the client
            return;
        }
        Reply r = session.ask("rcpt", () -> session.handler().rcpt(rcptTo));
        if (r.isPositive() && state.inTransaction()) state.recipients.add(rcptTo);
        session.answer(r);
    }

    private void rset(String arg) throws IOException, ReplyException {
        if (!arg.isBlank()) throw new ReplyException(Replies.syntax("RSET"));
        session.resetTransaction();
        session.send(Replies.OK);
    }

    private void startTls(String arg) throws IOException, ReplyException {
        if (!config.startTlsAvailable()) throw new ReplyException(Replies.NOT_IMPLEMENTED);
        if (!arg.isBlank()) throw new ReplyException(Replies.syntax("STARTTLS"));
        if (state.tls != null) throw new ReplyException(Replies.TLS_ACTIVE);
        if (state.heloName == null) throw new ReplyException(Replies.SEND_HELO_FIRST);
        session.send(Replies.READY_FOR_TLS);
        session.startTls();
    }

    private static Reply requireArgument(String arg, String usage, Reply ok) throws ReplyException {
        if (arg.isBlank()) throw new ReplyException(Replies.syntax(usage));
        return ok;
    }

    private static String utf8(byte[] octets) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(octets)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
