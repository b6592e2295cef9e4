package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.smtp.ClientNetwork;
import sluice.smtp.server.BufferBudget;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * APPEND holds a message in memory until it is stored, so it takes room from the node's buffer budget,
 * the one SMTP's arriving mail draws on, over a real socket: a message with no room (past the client's
 * share, or the node's budget spent by others) is refused with {@code NO [LIMIT]}, before the client sends
 * it when it waits for "+"; the session goes on, and every octet taken is given back.
 */
class AppendWithinTheBufferBudgetTest {

    /** One client may hold a quarter: 4096 octets. */
    private static final long BUDGET = 16_384;

    @TempDir
    Path dir;
    private final BufferBudget budget = new BufferBudget(BUDGET);
    private ImapFixture f;
    private ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, budget, config -> config.withMessageLimits(10_000, ImapServerConfig.FolderLimits.DEFAULT));
        f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        c = f.loggedIn("alice@a.example");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    private static String noRoom(int octets) {
        return " NO [LIMIT] No room now for a message of " + octets + " octets: too many messages are arriving at once; try again later";
    }

    private static byte[] message(int octets) {
        String head = "From: alice@a.example\r\nSubject: sent copy\r\n\r\n";
        return (head + "x".repeat(octets - head.length())).getBytes(StandardCharsets.US_ASCII);
    }

    /** APPEND with a synchronizing literal: the message goes only after "+". */
    private List<String> append(String tag, int octets) throws Exception {
        c.send(tag + " APPEND INBOX {" + octets + "}\r\n");
        String go = c.line();
        if (!go.startsWith("+")) return List.of(go);
        c.send(message(octets)).send("\r\n");
        return c.until(tag);
    }

    private static ClientNetwork sender(String ip) {
        return ClientNetwork.of(InetAddress.ofLiteral(ip));
    }

    /** Also a barrier: the session reads the next command only once the last one gave its room back. */
    private String messages() throws Exception {
        return c.command("s", "STATUS INBOX (MESSAGES)").getFirst();
    }

    @Test
    void aMessageOverTheClientsShareIsRefusedBeforeItIsSentAndASmallerOneIsStored() throws Exception {
        assertThat(append("a", 5000)).containsExactly("a" + noRoom(5000));
        assertThat(append("b", 3000).getLast()).startsWith("b OK [APPENDUID ");
        assertThat(messages()).isEqualTo("* STATUS INBOX (MESSAGES 1)");
        assertThat(budget.used()).as("given back once stored").isZero();
    }

    @Test
    void aNonSynchronizingMessageWithoutRoomIsReadPastAndRefusedAndTheSessionGoesOn() throws Exception {
        c.send("a APPEND INBOX {5000+}\r\n").send(message(5000)).send("\r\n");
        assertThat(c.until("a")).containsExactly("a" + noRoom(5000));
        assertThat(c.command("b", "NOOP")).containsExactly("b OK NOOP completed");
        assertThat(messages()).isEqualTo("* STATUS INBOX (MESSAGES 0)");
        assertThat(budget.used()).isZero();
    }

    @Test
    void whileOthersHoldTheNodesBudgetAppendIsToldToTryLaterAndThenStores() throws Exception {
        List<ClientNetwork> smtpSenders = List.of(sender("192.0.2.1"), sender("192.0.2.2"), sender("192.0.2.3"), sender("192.0.2.4"));
        long each = (BUDGET - 1000) / smtpSenders.size(); // mail arriving over SMTP leaves under 1000 octets
        for (ClientNetwork s : smtpSenders) assertThat(budget.take(s, each)).isTrue();
        assertThat(append("a", 2000)).containsExactly("a" + noRoom(2000));
        for (ClientNetwork s : smtpSenders) budget.give(s, each);
        assertThat(append("b", 2000).getLast()).startsWith("b OK [APPENDUID ");
        assertThat(messages()).isEqualTo("* STATUS INBOX (MESSAGES 1)");
        assertThat(budget.used()).isZero();
    }
}
