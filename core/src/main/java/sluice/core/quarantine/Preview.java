package sluice.core.quarantine;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import sluice.core.mail.Headers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What an administrator sees of a held message without opening it: the header fields (encoded words
 * decoded) and the text, from the first text/plain part, else the first text/html part rendered as
 * plain text ({@link HtmlText}). Never HTML, never attachments. Malformed MIME falls back to the raw
 * body as text.
 *
 * @param fromHtml  the text was rendered from HTML
 * @param truncated the text was cut at the limit
 */
public record Preview(List<Header> headers, String text, boolean fromHtml, boolean truncated) {

    public record Header(String name, String value) {
    }

    private static final int MAX_HEADERS = 200;
    private static final MimeConfig CONFIG = MimeConfig.custom().setStrictParsing(false).setMaxLineLen(-1)
            .setMaxHeaderLen(-1).setMaxHeaderCount(-1).build();

    public Preview {
        headers = List.copyOf(headers);
    }

    /** The preview of {@code content}, its text cut at {@code maxChars}. */
    public static Preview of(byte[] content, int maxChars) {
        try {
            DefaultMessageBuilder builder = new DefaultMessageBuilder();
            builder.setMimeEntityConfig(CONFIG);
            builder.setDecodeMonitor(DecodeMonitor.SILENT);
            Message message = builder.parseMessage(new ByteArrayInputStream(content));
            List<Header> headers = new ArrayList<>();
            for (Field f : message.getHeader().getFields()) {
                if (headers.size() == MAX_HEADERS) break;
                headers.add(new Header(f.getName(), DecoderUtil.decodeEncodedWords(f.getBody(), DecodeMonitor.SILENT)));
            }
            TextBody plain = find(message, "text/plain"), html = plain == null ? find(message, "text/html") : null;
            String text = plain != null ? read(plain, maxChars + 1) : html != null ? HtmlText.toPlain(read(html, 4 * maxChars)) : "";
            return clipped(headers, text, html != null, maxChars);
        } catch (IOException | RuntimeException e) {
            int header = Headers.headerLength(content);
            String body = new String(content, header, Math.min(content.length - header, 4 * maxChars), StandardCharsets.UTF_8);
            return clipped(List.of(), body, false, maxChars);
        }
    }

    private static Preview clipped(List<Header> headers, String text, boolean fromHtml, int maxChars) {
        boolean cut = text.length() > maxChars;
        return new Preview(headers, cut ? text.substring(0, maxChars) : text, fromHtml, cut);
    }

    /** The first leaf of {@code mimeType}, depth first, not entering attachments or attached messages. */
    private static TextBody find(Entity entity, String mimeType) {
        Body body = entity.getBody();
        if (body instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                TextBody found = find(part, mimeType);
                if (found != null) return found;
            }
            return null;
        }
        boolean attachment = "attachment".equalsIgnoreCase(entity.getDispositionType());
        return body instanceof TextBody t && !attachment && mimeType.equalsIgnoreCase(entity.getMimeType()) ? t : null;
    }

    private static String read(TextBody body, int max) throws IOException {
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[8192];
        try (Reader r = body.getReader()) {
            for (int n; out.length() < max && (n = r.read(buffer)) > 0; ) out.append(buffer, 0, Math.min(n, max - out.length()));
        }
        return out.toString();
    }
}
