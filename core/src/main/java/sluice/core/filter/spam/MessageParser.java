package sluice.core.filter.spam;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Parses raw message bytes into a {@link ParsedMessage} with Mime4j's pull parser. Never throws:
 * whatever was parsed before malformed input stopped the parser is kept, because a spam decision
 * on part of a message beats none. Bounded: only the first {@link #MAX_RAW_BYTES} are parsed and
 * only {@link #MAX_TEXT_CHARS} of decoded text kept, so time and memory per message are capped.
 */
final class MessageParser {
    /** A line break in a folded header value, with the white space that continues the line. */
    private static final Pattern FOLD = Pattern.compile("\\r?\\n[ \\t]*");


    static final int MAX_RAW_BYTES = 1 << 20;
    static final int MAX_TEXT_CHARS = 512 * 1024;
    private static final int MAX_HEADERS = 500;
    private static final int MAX_HEADER_CHARS = 16 * 1024;
    private static final int MAX_PARTS = 100;

    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setStrictParsing(false)
            .setMaxLineLen(-1)
            .setMaxHeaderLen(-1)
            .setMaxHeaderCount(-1)
            .setMaxContentLen(-1)
            .build();

    private MessageParser() {
    }

    static ParsedMessage parse(byte[] raw) {
        int start = skipMboxFromLine(raw);
        int length = Math.min(raw.length - start, MAX_RAW_BYTES);
        var state = new State(length < raw.length - start);
        var stream = new MimeTokenStream(CONFIG, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        stream.parse(new ByteArrayInputStream(raw, start, length));
        try {
            walk(stream, state);
        } catch (Exception | StackOverflowError e) {
            // Malformed input: keep what was parsed so far (class contract: never throws).
            state.truncated = true;
        }
        return state.build();
    }

    private static void walk(MimeTokenStream stream, State state) throws Exception {
        int depth = 0;
        boolean topHeaders = true;
        for (EntityState s = stream.getState(); s != EntityState.T_END_OF_STREAM; s = stream.next()) {
            switch (s) {
                case T_START_MESSAGE, T_START_BODYPART -> depth++;
                case T_END_MESSAGE, T_END_BODYPART -> depth--;
                case T_FIELD -> {
                    if (topHeaders && depth == 1) {
                        state.addHeader(stream.getField());
                    }
                }
                case T_END_HEADER -> topHeaders &= depth != 1;
                case T_BODY -> state.addBody(stream.getBodyDescriptor(), stream.getDecodedInputStream());
                default -> {
                }
            }
        }
    }

    private static String filename(BodyDescriptor bd) {
        if (bd instanceof MaximalBodyDescriptor max) {
            String name = max.getContentDispositionFilename();
            if (name == null) {
                name = max.getContentTypeParameters().get("name");
            }
            return name == null ? "" : headerValue(name).toLowerCase(Locale.ROOT);
        }
        return "";
    }

    /** mbox archives start each message with "From sender date" (no colon): not a header. */
    private static int skipMboxFromLine(byte[] raw) {
        if (raw.length < 5 || raw[0] != 'F' || raw[1] != 'r' || raw[2] != 'o' || raw[3] != 'm' || raw[4] != ' ') {
            return 0;
        }
        for (int i = 5; i < raw.length; i++) {
            if (raw[i] == '\n') {
                return i + 1;
            }
        }
        return raw.length;
    }

    /** Decodes a header value: unfolds, decodes RFC 2047 encoded words, caps the length. */
    static String headerValue(String body) {
        String value = body.length() > MAX_HEADER_CHARS ? body.substring(0, MAX_HEADER_CHARS) : body;
        value = FOLD.matcher(value).replaceAll(" ").strip();
        if (value.contains("=?")) {
            value = DecoderUtil.decodeEncodedWords(value, DecodeMonitor.SILENT);
        }
        return value;
    }

    static Charset charset(String name) {
        if (name == null || name.isBlank()) {
            return StandardCharsets.ISO_8859_1;
        }
        try {
            String n = name.strip().toLowerCase(Locale.ROOT);
            // us-ascii mislabels 8-bit text far more often than not; windows-1252 is a superset.
            return n.equals("us-ascii") || n.equals("iso-8859-1") ? Charset.forName("windows-1252") : Charset.forName(n);
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }

    /** Parser state; text beyond the cap is dropped, not an error. */
    private static final class State {
        final List<ParsedMessage.Header> headers = new ArrayList<>();
        final List<ParsedMessage.Part> parts = new ArrayList<>();
        final StringBuilder plain = new StringBuilder();
        final StringBuilder html = new StringBuilder();
        final List<Link> links = new ArrayList<>();
        final TreeSet<String> tags = new TreeSet<>();
        int images;
        int asciiEntities;
        boolean truncated;

        State(boolean truncated) {
            this.truncated = truncated;
        }

        void addHeader(Field field) {
            if (headers.size() < MAX_HEADERS) {
                headers.add(new ParsedMessage.Header(field.getName(), headerValue(field.getBody())));
            }
        }

        void addBody(BodyDescriptor bd, InputStream decoded) throws IOException {
            if (parts.size() >= MAX_PARTS) {
                truncated = true;
                return;
            }
            String type = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
            parts.add(new ParsedMessage.Part(type, bd.getCharset() == null ? "" : bd.getCharset().toLowerCase(Locale.ROOT),
                    bd.getTransferEncoding() == null ? "" : bd.getTransferEncoding().toLowerCase(Locale.ROOT), filename(bd)));
            boolean isHtml = type.equals("text/html");
            if (!isHtml && !type.equals("text/plain") && !type.equals("text/enriched")) {
                return;
            }
            int room = MAX_TEXT_CHARS - plain.length() - html.length();
            if (room <= 0) {
                truncated = true;
                return;
            }
            byte[] bytes = decoded.readNBytes(room);
            String text = new String(bytes, charset(bd.getCharset()));
            if (isHtml) {
                HtmlRendering r = HtmlText.render(text);
                html.append(r.text()).append('\n');
                links.addAll(r.links());
                images += r.images();
                tags.addAll(r.tags());
                asciiEntities += r.asciiEntities();
            } else {
                plain.append(text).append('\n');
            }
        }

        ParsedMessage build() {
            return new ParsedMessage(List.copyOf(headers), List.copyOf(parts), plain.toString(), html.toString(),
                    List.copyOf(links), images, tags, asciiEntities, truncated);
        }
    }
}
