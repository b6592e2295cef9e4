package sluice.smtp.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** MAIL and RCPT: path syntax, relay tricks passed through to the handler, ESMTP parameters. */
class EnvelopeTest extends ServerFixture {

    @ParameterizedTest
    @ValueSource(strings = {
            "user%other.example@relay.example", // percent hack
            "other.example!user@relay.example", // bang path
            "\"user@other.example\"@relay.example", // quoted local part
            "\"with space\\\"quote\"@example.com",
            "first.last+tag@sub.example.com",
            "user@[192.0.2.1]",
            "user@[IPv6:2001:db8::1]",
            "o'hara{x}|y~z@example.com"
    })
    void wellFormedPathsReachTheHandlerAsWritten(String address) throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.cmd("MAIL FROM:<" + address + ">")).isEqualTo("250 2.1.0 Sender OK");
        assertThat(c.cmd("RCPT TO:<" + address + ">")).isEqualTo("250 2.1.5 Recipient OK");
        assertThat(handler.mails.getLast().reversePath()).isEqualTo(address);
        assertThat(handler.recipients.getLast().forwardPath()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<user@relay@example.com>", "<user>", "<@example.com>", "<user@>", "<.user@example.com>",
            "<us..er@example.com>", "<user@exa mple.com>", "user@example.com", "<user@example.com",
            "<user@-example.com>", "<user@example..com>", "<user@[300.1.1.1]>", "<user@[IPv6:zz::1]>",
            "<\"unterminated@example.com>", "<user@example.com>x", "<<user@example.com>>", "<>"
    })
    void malformedRecipientPathsAreRefused(String path) throws Exception {
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        assertThat(c.cmd("RCPT TO:" + path)).isEqualTo("501 5.1.3 Bad recipient address syntax");
        assertThat(handler.recipients).isEmpty();
    }

    @Test
    void malformedSenderIsRefusedAndNullSenderAccepted() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.cmd("MAIL FROM:<a@b@example.com>")).isEqualTo("501 5.1.7 Bad sender address syntax");
        assertThat(c.cmd("MAIL FROM:<>")).isEqualTo("250 2.1.0 Sender OK");
        assertThat(handler.mails.getLast().isNullSender()).isTrue();
    }

    @Test
    void spaceAfterColonIsTolerated() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.cmd("mail from: <a@example.com>")).isEqualTo("250 2.1.0 Sender OK");
        assertThat(c.cmd("rcpt to: <b@example.com>")).isEqualTo("250 2.1.5 Recipient OK");
    }

    @Test
    void sourceRoutesAreRefusedInRcptAndDroppedInMail() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.cmd("MAIL FROM:<@hop.example:a@example.com>")).isEqualTo("250 2.1.0 Sender OK");
        assertThat(handler.mails.getLast().reversePath()).isEqualTo("a@example.com");
        assertThat(c.cmd("RCPT TO:<@a.example,@b.example:user@c.example>")).isEqualTo("553 5.7.1 Source routes are not accepted");
        assertThat(c.cmd("RCPT TO:<@a.example:user@c.example>")).isEqualTo("553 5.7.1 Source routes are not accepted");
        assertThat(c.cmd("RCPT TO:<@a..example:user@c.example>")).isEqualTo("501 5.1.3 Bad recipient address syntax");
        assertThat(handler.recipients).isEmpty();
    }

    @Test
    void postmasterWithoutDomainIsAccepted() throws Exception {
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        assertThat(c.cmd("RCPT TO:<Postmaster>")).isEqualTo("250 2.1.5 Recipient OK");
        assertThat(handler.recipients.getLast().forwardPath()).isEqualTo("Postmaster");
    }

    @Test
    void utf8AddressesNeedTheSmtpUtf8Parameter() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.cmdUtf8("MAIL FROM:<jürgen@bücher.example>")).isEqualTo("553 5.6.7 Non-ASCII addresses require the SMTPUTF8 parameter");
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).startsWith("250 ");
        assertThat(c.cmdUtf8("RCPT TO:<δοκιμή@παράδειγμα.δοκιμή>")).isEqualTo("553 5.6.7 Non-ASCII addresses require the SMTPUTF8 parameter");
        c.cmd("RSET");
        assertThat(c.cmdUtf8("MAIL FROM:<jürgen@bücher.example> SMTPUTF8")).isEqualTo("250 2.1.0 Sender OK");
        assertThat(c.cmdUtf8("RCPT TO:<δοκιμή@παράδειγμα.δοκιμή>")).isEqualTo("250 2.1.5 Recipient OK");
        assertThat(handler.mails.getLast().smtpUtf8()).isTrue();
        assertThat(handler.recipients.getLast().forwardPath()).isEqualTo("δοκιμή@παράδειγμα.δοκιμή");
    }

    @Test
    void mailParameters() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.cmd("MAIL FROM:<a@example.com> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=QQ+2B314")).startsWith("250 ");
        MailFrom m = handler.mails.getLast();
        assertThat(m.size()).isEqualTo(1000);
        assertThat(m.body()).isEqualTo(MailFrom.Body.EIGHT_BIT_MIME);
        assertThat(m.ret()).isEqualTo(MailFrom.Ret.HDRS);
        assertThat(m.envId()).isEqualTo("QQ+314");
        c.cmd("RSET");
        assertThat(c.cmd("MAIL FROM:<a@example.com> body=7bit ret=full")).startsWith("250 ");
        assertThat(handler.mails.getLast().body()).isEqualTo(MailFrom.Body.SEVEN_BIT);
        assertThat(handler.mails.getLast().ret()).isEqualTo(MailFrom.Ret.FULL);
        c.cmd("RSET");
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).startsWith("250 ");
        assertThat(handler.mails.getLast()).isEqualTo(new MailFrom("a@example.com", -1, MailFrom.Body.SEVEN_BIT, false, null, null));
    }

    @Test
    void badMailParameters() throws Exception {
        RawClient c = ehloClient(start(b -> b.maxMessageSize(10_000).maxErrors(50)));
        assertThat(c.cmd("MAIL FROM:<a@example.com> SIZE=10001")).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        assertThat(c.cmd("MAIL FROM:<a@example.com> SIZE=99999999999999999999")).isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
        assertThat(c.cmd("MAIL FROM:<a@example.com> SIZE=12k")).isEqualTo("501 5.5.4 Invalid SIZE parameter");
        assertThat(c.cmd("MAIL FROM:<a@example.com> BODY=9BIT")).isEqualTo("501 5.5.4 Invalid BODY parameter");
        assertThat(c.cmd("MAIL FROM:<a@example.com> RET=ALL")).isEqualTo("501 5.5.4 Invalid RET parameter");
        assertThat(c.cmd("MAIL FROM:<a@example.com> ENVID=a=b")).isEqualTo("501 5.5.4 Invalid ENVID parameter");
        assertThat(c.cmd("MAIL FROM:<a@example.com> ENVID=bad+zz")).isEqualTo("501 5.5.4 Invalid ENVID parameter");
        assertThat(c.cmd("MAIL FROM:<a@example.com> ENVID=" + "x".repeat(101))).isEqualTo("501 5.5.4 Invalid ENVID parameter");
        assertThat(c.cmd("MAIL FROM:<a@example.com> SMTPUTF8=yes")).isEqualTo("501 5.5.4 Invalid SMTPUTF8 parameter");
        assertThat(c.cmd("MAIL FROM:<a@example.com> SIZE=10 SIZE=10")).isEqualTo("501 5.5.4 Duplicate parameter SIZE");
        assertThat(c.cmd("MAIL FROM:<a@example.com> XFORWARD=1")).isEqualTo("555 5.5.4 Unsupported parameter XFORWARD");
        assertThat(c.cmd("MAIL FROM:<a@example.com> AUTH=<>")).isEqualTo("555 5.5.4 Unsupported parameter AUTH");
        assertThat(handler.mails).isEmpty();
    }

    @Test
    void rcptParameters() throws Exception {
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        assertThat(c.cmd("RCPT TO:<b@example.com> NOTIFY=SUCCESS,failure ORCPT=rfc822;b+2Bx@example.com")).startsWith("250 ");
        assertThat(handler.recipients.getLast()).isEqualTo(
                new RcptTo("b@example.com", Set.of(RcptTo.Notify.SUCCESS, RcptTo.Notify.FAILURE), "rfc822;b+x@example.com"));
        assertThat(c.cmd("RCPT TO:<d@example.com> ORCPT=rfc822;j+C3+B6rg@example.com")).startsWith("250 ");
        assertThat(handler.recipients.getLast().orcpt()).as("xtext octets are UTF-8").isEqualTo("rfc822;jörg@example.com");
        assertThat(c.cmd("RCPT TO:<c@example.com> NOTIFY=NEVER")).startsWith("250 ");
        assertThat(handler.recipients.getLast().notifyOn()).containsExactly(RcptTo.Notify.NEVER);
        assertThat(c.cmd("RCPT TO:<c@example.com> NOTIFY=NEVER,DELAY")).isEqualTo("501 5.5.4 Invalid NOTIFY parameter");
        assertThat(c.cmd("RCPT TO:<c@example.com> NOTIFY=SOMETIMES")).isEqualTo("501 5.5.4 Invalid NOTIFY parameter");
        assertThat(c.cmd("RCPT TO:<c@example.com> ORCPT=c@example.com")).isEqualTo("501 5.5.4 Invalid ORCPT parameter");
        assertThat(c.cmd("RCPT TO:<c@example.com> SIZE=10")).isEqualTo("555 5.5.4 Unsupported parameter SIZE");
    }

    @Test
    void hundredAndFirstRecipientOverTheLimitGets452() throws Exception {
        RawClient c = ehloClient(start(b -> b.maxRecipients(100)));
        c.cmd("MAIL FROM:<a@example.com>");
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 101; i++) batch.append("RCPT TO:<r").append(i).append("@example.com>\r\n");
        c.send(batch.toString());
        for (int i = 0; i < 100; i++) assertThat(c.reply()).isEqualTo("250 2.1.5 Recipient OK");
        assertThat(c.reply()).isEqualTo("452 4.5.3 Too many recipients");
        assertThat(handler.recipients).hasSize(100);
        assertThat(c.cmd("DATA")).startsWith("354 ");
        assertThat(c.send("Subject: x\r\n\r\nhi\r\n.\r\n").reply()).startsWith("250 ");
        assertThat(handler.nextMessage().recipients()).hasSize(100);
    }

    @Test
    void recipientLimitBelowTheRfcMinimumIsAConfigurationError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> defaults().maxRecipients(99).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4.5.3.1.8");
    }

    @Test
    void refusedRecipientsCountAsErrorsSoProbingEnds() throws Exception {
        handler.onRcpt = r -> r.forwardPath().startsWith("known@")
                ? Reply.of(250, "2.1.5", "Recipient OK") : Reply.of(550, "5.1.10", "Recipient not found");
        RawClient c = ehloClient(start(b -> b.maxErrors(3)));
        c.cmd("MAIL FROM:<a@example.com>");
        for (int i = 0; i < 3; i++) assertThat(c.cmd("RCPT TO:<guess" + i + "@example.com>")).isEqualTo("550 5.1.10 Recipient not found");
        assertThat(c.cmd("RCPT TO:<known@example.com>")).isEqualTo("250 2.1.5 Recipient OK");
        assertThat(c.cmd("RCPT TO:<guess3@example.com>")).isEqualTo("421 4.7.0 " + HOST + " Too many errors, closing connection");
        c.assertClosed();
    }

    /** A relay that keeps one connection for many messages meets a few refused recipients in each: not a prober. */
    @Test
    void theErrorBudgetStartsAgainAfterEachAcceptedMessage() throws Exception {
        handler.onRcpt = r -> r.forwardPath().startsWith("known@")
                ? Reply.of(250, "2.1.5", "Recipient OK") : Reply.of(550, "5.1.10", "Recipient not found");
        RawClient c = ehloClient(start(b -> b.maxErrors(3)));
        for (int message = 0; message < 3; message++) {
            c.cmd("MAIL FROM:<a@example.com>");
            for (int i = 0; i < 3; i++) assertThat(c.cmd("RCPT TO:<stale" + i + "@example.com>")).startsWith("550 ");
            assertThat(c.cmd("RCPT TO:<known@example.com>")).startsWith("250 ");
            assertThat(c.cmd("DATA")).startsWith("354");
            assertThat(c.cmd("Subject: x\r\n\r\nhi\r\n.")).as("message " + message).startsWith("250 ");
        }
    }

    /** An accepted message starts the budget again, but not for ever: five budgets per session at most. */
    @Test
    void aProberWhoDeliversNowAndThenIsStillCutOff() throws Exception {
        handler.onRcpt = r -> r.forwardPath().startsWith("known@")
                ? Reply.of(250, "2.1.5", "Recipient OK") : Reply.of(550, "5.1.10", "Recipient not found");
        RawClient c = ehloClient(start(b -> b.maxErrors(3)));
        String last = null;
        for (int message = 0; message < 6 && (last == null || !last.startsWith("421")); message++) {
            c.cmd("MAIL FROM:<a@example.com>");
            for (int i = 0; i < 3 && (last == null || !last.startsWith("421")); i++) last = c.cmd("RCPT TO:<guess" + i + "@example.com>");
            if (last.startsWith("421")) break;
            c.cmd("RCPT TO:<known@example.com>");
            c.cmd("DATA");
            c.cmd("Subject: x\r\n\r\nhi\r\n.");
        }
        assertThat(last).isEqualTo("421 4.7.0 " + HOST + " Too many errors, closing connection"); // the 16th refusal
    }

    @Test
    void temporaryRefusalsOfRecipientsAreNotErrors() throws Exception {
        handler.onRcpt = r -> Reply.of(450, "4.2.0", "Greylisted, try again later");
        RawClient c = ehloClient(start(b -> b.maxErrors(2)));
        c.cmd("MAIL FROM:<a@example.com>");
        for (int i = 0; i < 5; i++) assertThat(c.cmd("RCPT TO:<b" + i + "@example.com>")).startsWith("450 4.2.0");
    }

    @Test
    void pastHalfTheErrorBudgetEachRefusalIsSlowedDown() throws Exception {
        handler.onRcpt = r -> Reply.of(550, "5.1.10", "Recipient not found");
        RawClient c = ehloClient(start(b -> b.maxErrors(4).errorDelay(Duration.ofMillis(300))));
        c.cmd("MAIL FROM:<a@example.com>");
        for (int i = 0; i < 2; i++) c.cmd("RCPT TO:<guess" + i + "@example.com>");
        long start = System.nanoTime();
        for (int i = 2; i < 4; i++) assertThat(c.cmd("RCPT TO:<guess" + i + "@example.com>")).startsWith("550 ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }
}
