package sluice.smtp.server;

import sluice.smtp.Reply;

/**
 * The server's own replies, in one place so the codes are chosen once (see {@link Session} for why
 * each one). Replies that name the host are built per server from its hostname.
 */
final class Replies {
    private Replies() {
    }

    static final Reply OK = Reply.of(250, "2.0.0", "OK");
    static final Reply START_MAIL_INPUT = Reply.of(354, "End data with <CR><LF>.<CR><LF>");
    static final Reply HELP = Reply.of(214, "2.0.0", "See RFC 5321; commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY STARTTLS AUTH");
    static final Reply VRFY = Reply.of(252, "2.1.5", "Cannot VRFY user, but will accept message and attempt delivery");
    static final Reply EXPN = Reply.of(502, "5.5.1", "EXPN not available");
    static final Reply READY_FOR_TLS = Reply.of(220, "2.0.0", "Ready to start TLS");

    static final Reply UNKNOWN_COMMAND = Reply.of(500, "5.5.1", "Command unrecognized");
    static final Reply NOT_IMPLEMENTED = Reply.of(502, "5.5.1", "Command not implemented");
    static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.6", "Line too long");
    static final Reply AUTH_LINE_TOO_LONG = Reply.of(500, "5.5.6", "Authentication Exchange line is too long");
    static final Reply NUL_IN_COMMAND = Reply.of(500, "5.5.2", "NUL octet not allowed in commands");
    static final Reply BAD_UTF8 = Reply.of(500, "5.5.2", "Invalid UTF-8 in command");
    static final Reply SEND_HELO_FIRST = Reply.of(503, "5.5.1", "Send EHLO or HELO first");
    static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "Sender already specified");
    static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "Need MAIL command");
    static final Reply NO_VALID_RECIPIENTS = Reply.of(554, "5.5.1", "No valid recipients");
    static final Reply DATA_AFTER_BDAT = Reply.of(503, "5.5.1", "DATA not allowed in a BDAT transaction");
    static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, "4.5.3", "Too many recipients");
    static final Reply MUST_STARTTLS = Reply.of(530, "5.7.0", "Must issue a STARTTLS command first");
    static final Reply TLS_ACTIVE = Reply.of(503, "5.5.1", "TLS already active");
    static final Reply TEMPORARY_FAILURE = Reply.of(451, "4.3.0", "Temporary server error, please try again later");

    static final Reply MESSAGE_TOO_BIG = Reply.of(552, "5.3.4", "Message size exceeds fixed maximum message size");
    static final Reply BARE_CR_LF = Reply.of(554, "5.6.11", "Bare CR or LF not allowed; lines must end with CRLF");
    static final Reply NUL_IN_DATA = Reply.of(554, "5.6.0", "NUL octets not allowed in message content");
    static final Reply DATA_LINE_TOO_LONG = Reply.of(554, "5.6.0", "Message line too long (limit 1000 octets including CRLF)");
    static final Reply INSUFFICIENT_STORAGE = Reply.of(452, "4.3.1", "Insufficient system storage, try again later");
    static final Reply HOP_COUNT = Reply.of(554, "5.4.14", "Hop count exceeded - possible mail loop");

    static final Reply AUTH_OK = Reply.of(235, "2.7.0", "Authentication successful");
    static final Reply AUTH_UNAVAILABLE = Reply.of(502, "5.5.1", "AUTH not available");
    static final Reply AUTH_TWICE = Reply.of(503, "5.5.1", "Already authenticated");
    static final Reply AUTH_IN_TRANSACTION = Reply.of(503, "5.5.1", "AUTH not permitted during a mail transaction");
    static final Reply AUTH_NEEDS_TLS = Reply.of(538, "5.7.11", "Encryption required for requested authentication mechanism");
    static final Reply AUTH_MECHANISM = Reply.of(504, "5.5.4", "Unrecognized authentication type");
    static final Reply AUTH_BAD_BASE64 = Reply.of(501, "5.5.2", "Cannot decode response");
    static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "Authentication cancelled");

    static Reply syntax(String usage) {
        return Reply.of(501, "5.5.4", "Syntax: " + usage);
    }

    static Reply greeting(String host) {
        return Reply.of(220, host + " ESMTP Sluice");
    }

    static Reply closing(String host) {
        return Reply.of(221, host + " Service closing transmission channel");
    }

    static Reply timeout(String host) {
        return Reply.of(421, "4.4.2", host + " Timeout exceeded, closing connection");
    }

    static Reply tooManyErrors(String host) {
        return Reply.of(421, "4.7.0", host + " Too many errors, closing connection");
    }

    static Reply shuttingDown(String host) {
        return Reply.of(421, "4.3.2", host + " Service shutting down, closing connection");
    }

    static Reply tooManyConnections(String host) {
        return Reply.of(421, "4.7.0", host + " Too many connections, try again later");
    }

    static Reply tooManyConnectionsFromIp(String host) {
        return Reply.of(421, "4.7.0", host + " Too many connections from your address, try again later");
    }

    static Reply earlyTalker(String host) {
        return Reply.of(554, "5.5.0", host + " Protocol error: data sent before the greeting");
    }

    static Reply pipeliningViolation(String host, String verb) {
        return Reply.of(554, "5.5.0", host + " Protocol error: commands sent after " + verb + " before its reply");
    }

    static Reply bareLineEndInCommand(String host) {
        return Reply.of(554, "5.5.2", host + " Bare CR or LF in command not allowed, closing connection");
    }

    static Reply internalError(String host) {
        return Reply.of(421, "4.3.0", host + " Temporary server error, closing connection");
    }
}
