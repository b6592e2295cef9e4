package sluice.smtp.server;

import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.TlsInfo;

import java.util.ArrayList;
import java.util.List;

/** What a session remembers between commands. Touched only by the session's own thread. */
final class SessionState {
    String heloName;
    boolean esmtp;
    TlsInfo tls;
    String authenticatedAs;
    MailFrom mailFrom;
    final List<RcptTo> recipients = new ArrayList<>();
    /** The BDAT chunks so far; non-null once the first BDAT of this transaction was accepted. */
    ByteSink chunks;
    /** True from the 354 after DATA (or the first BDAT) until the transaction ends; then the deadline holds. */
    boolean transferring;
    /** {@link System#nanoTime()} by which the transfer must be complete. */
    long transferDeadline;

    boolean inTransaction() {
        return mailFrom != null;
    }

    /** RSET semantics: forget MAIL, RCPT and any chunks (giving their memory back), keep EHLO, TLS and AUTH. */
    void resetTransaction() {
        mailFrom = null;
        recipients.clear();
        if (chunks != null) chunks.release();
        chunks = null;
        transferring = false;
    }

    /** After STARTTLS (RFC 3207 section 4.2): forget everything learnt from the client in plaintext. */
    void resetForTls(TlsInfo tlsInfo) {
        resetTransaction();
        heloName = null;
        esmtp = false;
        authenticatedAs = null;
        tls = tlsInfo;
    }
}
