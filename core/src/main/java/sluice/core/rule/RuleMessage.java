package sluice.core.rule;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import sluice.core.filter.Fact;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.malware.FileNames;
import sluice.core.filter.spam.HtmlText;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What rules read of a message: the top-level header fields (unfolded, encoded words decoded), the
 * decoded text of text/plain and text/html parts (HTML rendered to what a reader sees), and the file
 * names of the attachments. Parsed on the first read, once for every rule of both phases (it is kept
 * in the message's findings), no further than the header while rules read only header fields, and
 * bounded like the spam parser: malformed input keeps what was parsed before it, so a rule never fails
 * a message.
 *
 * <p>The whole MIME tree is walked for attachment names, so a large part in front cannot hide the one a
 * rule looks for; what a part costs beyond its header is skipping its bytes. Only decoded text is
 * capped ({@link #MAX_TEXT_CHARS}), and the walk stops after {@link #MAX_PARTS} parts, where the
 * anti-malware scan's default limit already stops such a message.
 */
final class RuleMessage implements Fact {

    static final int MAX_TEXT_CHARS = 256 * 1024;
    static final int MAX_PARTS = 1_000;
    /** Names kept for the whole message: a part may give several, a message of many parts many more. */
    static final int MAX_NAMES = 4 * MAX_PARTS;
    /** What rules read of a field's value, but for {@link #ADDRESS_FIELDS}. */
    private static final int MAX_HEADER_CHARS = 16 * 1024;
    /**
     * Address lists kept whole for {@link #rawHeaders}: DMARC and send-as read all of From, and an address
     * behind a cut ({@code From: (} and 16K of comment {@code ) me@evil.example}) would be no sender to a
     * rule, so no condition on it could match. Their parse is linear; patterns still read the first 16K.
     */
    private static final Set<String> ADDRESS_FIELDS = Set.of("from", "sender", "reply-to", "to", "cc", "bcc");
    private static final MimeConfig CONFIG = MimeConfig.custom().setStrictParsing(false).setMaxLineLen(-1)
            .setMaxHeaderLen(-1).setMaxHeaderCount(-1).setMaxContentLen(-1).build();

    /** @param raw the unfolded value as it came, encoded words and all (for structured fields such as From) */
    record Header(String name, String value, String raw) {
    }

    private final byte[] raw;
    private final List<Header> headers = new ArrayList<>();
    private final List<String> attachmentNames = new ArrayList<>();
    /** The Content-Type and Content-Disposition fields of the part whose header is being read. */
    private final List<RawField> nameFields = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    /** The walk so far: null before the first read and once it is over. */
    private MimeTokenStream stream;
    private int depth;
    private int parts;
    private boolean headerRead;
    private boolean walked;
    private String textRead;

    private RuleMessage(byte[] raw) {
        this.raw = raw;
    }

    /** The message of {@code inspection} as its rules read it: the one in {@code findings} if an earlier phase made it. */
    static RuleMessage of(Inspection inspection, Findings findings) {
        var earlier = findings.fact(RuleMessage.class).filter(m -> m.raw == inspection.content());
        if (earlier.isPresent()) return earlier.get();
        RuleMessage m = new RuleMessage(inspection.content());
        findings.add(m);
        return m;
    }

    /** Rules on header fields (the sender, the subject) read no further than the header. */
    private RuleMessage header() {
        if (!headerRead) walk(true);
        return this;
    }

    private RuleMessage whole() {
        if (!walked) walk(false);
        return this;
    }

    /** Goes on with the walk: up to the end of the top-level header, or to the end of the message. */
    private void walk(boolean headerOnly) {
        try {
            EntityState s;
            if (stream == null) {
                stream = new MimeTokenStream(CONFIG, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
                stream.parse(new ByteArrayInputStream(raw));
                s = stream.getState();
            } else {
                s = stream.next();
            }
            for (; s != EntityState.T_END_OF_STREAM && parts <= MAX_PARTS; s = stream.next()) {
                switch (s) {
                    case T_START_MESSAGE, T_START_BODYPART -> depth++;
                    case T_END_MESSAGE, T_END_BODYPART -> depth--;
                    case T_START_HEADER -> nameFields.clear();
                    case T_FIELD -> {
                        String field = stream.getField().getName();
                        if (field.equalsIgnoreCase("Content-Disposition") || field.equalsIgnoreCase("Content-Type"))
                            nameFields.add(new RawField(field, stream.getField().getBody()));
                        if (!headerRead && depth == 1) {
                            String body = stream.getField().getBody();
                            String raw = unfolded(ADDRESS_FIELDS.contains(field.toLowerCase(Locale.ROOT)) ? body : capped(body));
                            headers.add(new Header(field, decoded(capped(raw)), raw));
                        }
                    }
                    case T_END_HEADER -> {
                        if (!headerRead && depth == 1) {
                            headerRead = true;
                            if (headerOnly) return;
                        }
                    }
                    case T_BODY -> {
                        if (++parts <= MAX_PARTS) body(stream.getBodyDescriptor(), stream);
                    }
                    default -> {
                    }
                }
            }
        } catch (Exception | StackOverflowError e) {
            // malformed: what was parsed so far is what rules see
        }
        headerRead = true;
        walked = true;
        stream = null;
        textRead = text.toString();
    }

    private void body(BodyDescriptor bd, MimeTokenStream stream) throws IOException {
        names(bd);
        String type = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
        boolean html = type.equals("text/html");
        if (!html && !type.equals("text/plain")) return;
        int room = MAX_TEXT_CHARS - text.length();
        if (room <= 0) return;
        String s = new String(stream.getDecodedInputStream().readNBytes(room), charset(bd.getCharset()));
        // rendered in one pass: a backtracking tag pattern is quadratic on a part of unclosed tags
        text.append(html ? HtmlText.visibleText(s) : s).append('\n');
    }

    /**
     * Every name the part's header gives it, since a mail client may save the part under any of them:
     * the one Mime4j picks (RFC 2231 decoded), and each {@code filename} and {@code name} parameter of
     * Content-Disposition and Content-Type, repeated ones included ({@code name="a.exe"} beside
     * {@code filename="a.txt"}, an empty filename beside a name), in every reading the malware scan
     * makes of them ({@link FileNames}: UTF-7, loose separators, broken continuations).
     */
    private void names(BodyDescriptor bd) {
        List<String> names = new ArrayList<>();
        if (bd instanceof MaximalBodyDescriptor max) {
            names.add(max.getContentDispositionFilename());
            names.add(max.getContentTypeParameters().get("name"));
        }
        for (RawField field : nameFields) {
            for (NameValuePair p : RawFieldParser.DEFAULT.parseRawBody(field).getParams()) {
                if (p.getName().equalsIgnoreCase("filename") || p.getName().equalsIgnoreCase("name")) names.add(p.getValue());
            }
            names.addAll(FileNames.in(field.getBody())); // every reading the malware scan makes of them
        }
        Set<String> seen = new HashSet<>(attachmentNames); // not List.contains: up to MAX_NAMES names, each compared with all
        for (String name : names) {
            if (name == null || name.isBlank() || attachmentNames.size() >= MAX_NAMES) continue;
            String n = decode(name).toLowerCase(Locale.ROOT);
            if (seen.add(n)) attachmentNames.add(n);
        }
    }

    /** The first field named {@code name}, or "". */
    String header(String name) {
        return header().headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst().orElse("");
    }

    List<String> headers(String name) {
        return header().headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    /**
     * The fields named {@code name} as they came (unfolded, encoded words not decoded): an address list
     * is parsed before its display names are decoded, or an encoded "," or "<" would make one of them an address.
     */
    List<String> rawHeaders(String name) {
        return header().headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::raw).toList();
    }

    String text() {
        return whole().textRead;
    }

    /** The file names of the parts, lower case. */
    List<String> attachmentNames() {
        return Collections.unmodifiableList(whole().attachmentNames);
    }

    private static String decode(String body) {
        return decoded(unfolded(capped(body)));
    }

    private static String unfolded(String body) {
        return body.replaceAll("\\r?\\n[ \\t]*", " ").strip();
    }

    private static String capped(String value) {
        return value.length() > MAX_HEADER_CHARS ? value.substring(0, MAX_HEADER_CHARS) : value;
    }

    /** Encoded words (RFC 2047) decoded, as readers show them. */
    static String decoded(String unfolded) {
        return unfolded.contains("=?") ? DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT) : unfolded;
    }

    private static Charset charset(String name) {
        try {
            return name == null || name.isBlank() ? StandardCharsets.ISO_8859_1 : Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
