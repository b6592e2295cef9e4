package sluice.core.rule;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What rules read of a message: the top-level header fields (unfolded, encoded words decoded), the
 * decoded text of text/plain and text/html parts (tags removed), and attachment file names. Parsed
 * once, only when a rule needs it, and bounded like the spam parser: malformed input keeps what was
 * parsed before it, so a rule never fails a message.
 */
final class RuleMessage {

    static final int MAX_RAW_BYTES = 1 << 20;
    static final int MAX_TEXT_CHARS = 256 * 1024;
    private static final int MAX_HEADER_CHARS = 16 * 1024;
    private static final int MAX_PARTS = 100;
    private static final MimeConfig CONFIG = MimeConfig.custom().setStrictParsing(false).setMaxLineLen(-1)
            .setMaxHeaderLen(-1).setMaxHeaderCount(-1).setMaxContentLen(-1).build();

    record Header(String name, String value) {
    }

    final List<Header> headers = new ArrayList<>();
    final List<String> attachmentNames = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    private RuleMessage() {
    }

    static RuleMessage parse(byte[] raw) {
        RuleMessage m = new RuleMessage();
        var stream = new MimeTokenStream(CONFIG, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        stream.parse(new ByteArrayInputStream(raw, 0, Math.min(raw.length, MAX_RAW_BYTES)));
        try {
            int depth = 0;
            boolean top = true;
            for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
                switch (s) {
                    case T_START_MESSAGE, T_START_BODYPART -> depth++;
                    case T_END_MESSAGE, T_END_BODYPART -> depth--;
                    case T_FIELD -> {
                        if (top && depth == 1) m.headers.add(new Header(stream.getField().getName(), decode(stream.getField().getBody())));
                    }
                    case T_END_HEADER -> top &= depth != 1;
                    case T_BODY -> m.body(stream.getBodyDescriptor(), stream);
                    default -> {
                    }
                }
            }
        } catch (Exception | StackOverflowError e) {
            // malformed: what was parsed so far is what rules see
        }
        return m;
    }

    private void body(BodyDescriptor bd, MimeTokenStream stream) throws IOException {
        if (attachmentNames.size() >= MAX_PARTS) return;
        String name = bd instanceof MaximalBodyDescriptor max
                ? (max.getContentDispositionFilename() != null ? max.getContentDispositionFilename() : max.getContentTypeParameters().get("name"))
                : null;
        if (name != null && !name.isBlank()) attachmentNames.add(decode(name).toLowerCase(Locale.ROOT));
        String type = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
        boolean html = type.equals("text/html");
        if (!html && !type.equals("text/plain")) return;
        int room = MAX_TEXT_CHARS - text.length();
        if (room <= 0) return;
        String s = new String(stream.getDecodedInputStream().readNBytes(room), charset(bd.getCharset()));
        text.append(html ? s.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " ")
                .replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">") : s).append('\n');
    }

    /** The first field named {@code name}, or "". */
    String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst().orElse("");
    }

    List<String> headers(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    String text() {
        return text.toString();
    }

    private static String decode(String body) {
        String v = body.length() > MAX_HEADER_CHARS ? body.substring(0, MAX_HEADER_CHARS) : body;
        v = v.replaceAll("\\r?\\n[ \\t]*", " ").strip();
        return v.contains("=?") ? DecoderUtil.decodeEncodedWords(v, DecodeMonitor.SILENT) : v;
    }

    private static Charset charset(String name) {
        try {
            return name == null || name.isBlank() ? StandardCharsets.ISO_8859_1 : Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
