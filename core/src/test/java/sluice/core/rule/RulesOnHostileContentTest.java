package sluice.core.rule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Symbol;
import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryTransportRules;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mail flow rules on messages built to hurt them: HTML that makes a backtracking tag stripper
 * quadratic, a large attachment in front of the one a rule looks for, a header that makes a rule's
 * pattern recurse past the stack. Each must be decided correctly and inline. The timeouts only keep
 * a regression from hanging the build: each input is big enough that the old code took minutes.
 */
class RulesOnHostileContentTest {

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryTransportRules rules = new MemoryTransportRules();
    private final String org = Contoso.organization(directory);

    private Inspection inbound(byte[] content) throws Exception {
        return new Inspection(org, false, QueuedMessage.Origin.INTERNET, InetAddress.getByName("192.0.2.7"),
                InetAddress.getByName("192.0.2.7"), "mail.fabrikam.example", true, "alice@fabrikam.example",
                List.of(Address.parse("bob@contoso.example")), content);
    }

    private static RulePredicates condition(List<String> senderDomains, List<String> subjectOrBody,
                                            RulePredicates.HeaderPattern header, List<String> extensions, Integer sclOver) {
        return new RulePredicates(null, senderDomains, null, null, null, null, null, subjectOrBody, header, extensions, sclOver);
    }

    private void rule(String name, RulePredicates conditions) {
        rules.create(new TransportRule("", org, name, Integer.MAX_VALUE, true, null, conditions, null,
                new RuleActions(null, false, false, null, null, null, new RuleActions.SetHeader("X-Rule", name), null, null, false)));
    }

    private Findings bothPhases(Inspection m) {
        Findings f = new Findings();
        new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM).inspect(m, f);
        new TransportRuleStage(rules, directory, TransportRuleStage.Phase.AFTER_ANTI_SPAM).inspect(m, f);
        return f;
    }

    private static List<String> matched(Findings f) {
        return f.fact(Facts.MailFlowRules.class).map(r -> r.hits().stream().map(Facts.MailFlowRules.Hit::name).toList())
                .orElse(List.of());
    }

    private static byte[] withHtml(String html) {
        String b64 = Base64.getMimeEncoder().encodeToString(html.getBytes(StandardCharsets.UTF_8));
        return ("From: Alice <alice@fabrikam.example>\r\nTo: bob@contoso.example\r\nSubject: hello\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anHtmlPartOfUnclosedTagsIsReadInOnePass() throws Exception {
        // 250,000 '<' after the visible text: a backtracking "<[^>]*>" tries each one to the end
        byte[] m = withHtml("<p>Please <b>pay</b> the invoice&nbsp;today</p><script>var hidden = 1;</script>" + "<".repeat(250_000));
        rule("from fabrikam", condition(List.of("fabrikam.example"), null, null, null, null));
        rule("invoice", condition(null, List.of("invoice today"), null, null, null));
        rule("hidden", condition(null, List.of("hidden"), null, null, null));
        rule("invoice, after anti-spam", condition(null, List.of("invoice"), null, null, 0));

        assertThat(matched(bothPhases(inbound(m)))).as("script content is not what the reader sees")
                .containsExactly("from fabrikam", "invoice", "invoice, after anti-spam");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anHtmlPartOfUnclosedStyleElementsIsReadInOnePass() throws Exception {
        byte[] m = withHtml("<p>invoice</p>" + "<style>".repeat(36_000));
        rule("invoice", condition(null, List.of("invoice"), null, null, null));

        assertThat(matched(bothPhases(inbound(m)))).containsExactly("invoice");
    }

    @Test
    void bothPhasesReadTheMessageAsItWasParsedOnce() throws Exception {
        byte[] m = withHtml("<p>alpha</p>");
        rule("alpha", condition(null, List.of("alpha"), null, null, null));
        rule("alpha, after anti-spam", condition(null, List.of("alpha"), null, null, 0));
        Inspection inspection = inbound(m);
        Findings f = new Findings();

        new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM).inspect(inspection, f);
        // were the second phase to parse the content again, it would see this and not match
        byte[] omega = withHtml("<p>omega</p>");
        System.arraycopy(omega, 0, m, 0, m.length);
        new TransportRuleStage(rules, directory, TransportRuleStage.Phase.AFTER_ANTI_SPAM).inspect(inspection, f);

        assertThat(matched(f)).containsExactly("alpha", "alpha, after anti-spam");
    }

    @Test
    void attachmentsAndTextAfterTheFirstMebibyteAreSeen() throws Exception {
        String photo = Base64.getMimeEncoder().encodeToString(new byte[(1 << 20) + 4096]);
        byte[] m = ("From: Alice <alice@fabrikam.example>\r\nTo: bob@contoso.example\r\nSubject: photos\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"photo.png\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + photo + "\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\nrun the payload\r\n"
                + "--b\r\nContent-Type: application/javascript; name=\"payload.js\"\r\n\r\nalert(1)\r\n"
                + "--b--\r\n").getBytes(StandardCharsets.US_ASCII);
        rule("scripts", condition(null, null, null, List.of("js"), null));
        rule("payload", condition(null, List.of("payload"), null, null, null));
        rule("pictures", condition(null, null, null, List.of("png"), null));

        assertThat(matched(bothPhases(inbound(m)))).containsExactly("scripts", "payload", "pictures");
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPatternThatOverflowsTheStackDoesNotMatchAndTheOtherRulesStillRun() throws Exception {
        // each repetition of "(\w|\.)+" is a nested call: thousands of characters overflow a virtual thread's stack
        byte[] m = ("From: Alice <alice@fabrikam.example>\r\nSubject: hi\r\nX-Addr: " + "a.".repeat(7_500) + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        rule("contoso address", condition(null, null,
                new RulePredicates.HeaderPattern("X-Addr", List.of("(\\w|\\.)+@contoso\\.com")), null, null));
        rule("from fabrikam", condition(List.of("fabrikam.example"), null, null, null, null));
        Inspection inspection = inbound(m);

        Findings f;
        try (var virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            f = virtual.submit(() -> bothPhases(inspection)).get(10, TimeUnit.SECONDS);
        }

        assertThat(matched(f)).containsExactly("from fabrikam");
        assertThat(f.symbols()).extracting(Symbol::name).containsOnlyOnce(TransportRuleStage.PATTERN_BUDGET_SPENT);
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void longFromFieldsAreReadInOnePass() throws Exception {
        // a pattern "[^delimiters]+@..." retries a 16,000-letter run from each of its letters
        byte[] m = (("From: " + "a".repeat(16_000) + "\r\n").repeat(60) + "From: Alice <alice@fabrikam.example>\r\n"
                + "Subject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        rules.create(new TransportRule("", org, "alice", Integer.MAX_VALUE, true, null,
                new RulePredicates(List.of("alice@fabrikam.example"), null, null, null, null, null, null, null, null, null, null), null,
                new RuleActions(null, false, false, null, null, null, new RuleActions.SetHeader("X-Rule", "alice"), null, null, false)));
        rule("fabrikam, after anti-spam", condition(List.of("fabrikam.example"), null, null, null, 0));

        assertThat(matched(bothPhases(inbound(m)))).containsExactly("alice", "fabrikam, after anti-spam");
    }

    @Test
    void aFromFieldLongerThanWhatRulesReadOfOtherFieldsIsReadWhole() throws Exception {
        // a comment folded over 20,000 characters in front of the address: DMARC reads it, so rules must too
        String comment = ("x".repeat(70) + "\r\n ").repeat(300);
        byte[] m = ("From: (" + comment + ") me@evil.example\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        rule("from evil", condition(List.of("evil.example"), null, null, null, null));

        assertThat(matched(bothPhases(inbound(m)))).containsExactly("from evil");
    }
}
