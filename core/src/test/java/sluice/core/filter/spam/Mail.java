package sluice.core.filter.spam;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds test messages. The default is a clean, ordinary message — every rule stays quiet on it —
 * so each test changes only the header or body it is about.
 */
final class Mail {

    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body = "Hi Bob,\n\nthe meeting moved to Thursday at ten; the agenda is unchanged.\n\nAlice\n";

    Mail() {
        headers.put("Received", "from mail.example.org (mail.example.org [192.0.2.10]) by mx.example.net with ESMTP "
                + "id 1234; Tue, 3 Sep 2024 10:00:05 +0000");
        headers.put("From", "Alice Example <alice@example.org>");
        headers.put("To", "bob@example.net");
        headers.put("Subject", "Meeting moved to Thursday");
        headers.put("Date", "Tue, 3 Sep 2024 09:59:58 +0000");
        headers.put("Message-ID", "<20240903095958.1234@example.org>");
        headers.put("MIME-Version", "1.0");
        headers.put("Content-Type", "text/plain; charset=us-ascii");
    }

    Mail header(String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        return this;
    }

    Mail body(String body) {
        this.body = body;
        return this;
    }

    Mail html(String html) {
        return header("Content-Type", "text/html; charset=utf-8").body(html);
    }

    String text() {
        var sb = new StringBuilder();
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        return sb.append("\r\n").append(body.replace("\r\n", "\n").replace("\n", "\r\n")).toString();
    }

    byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }
}
