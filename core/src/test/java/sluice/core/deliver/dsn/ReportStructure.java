package sluice.core.deliver.dsn;

import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.MimeConfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A report as a MIME reader sees it (Apache Mime4j, strict): the multipart/report, the media type and
 * transfer encoding of each of its three parts, and each part's content as octets.
 */
record ReportStructure(String reportType, List<String> types, List<String> encodings, List<byte[]> contents) {

    static ReportStructure of(byte[] report) {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.STRICT);
        try {
            Message message = builder.parseMessage(new ByteArrayInputStream(report));
            assertThat(message.getMimeType()).isEqualTo("multipart/report");
            Multipart multipart = (Multipart) message.getBody();
            assertThat(multipart.getBodyParts()).hasSize(3);
            String reportType = ((ContentTypeField) message.getHeader().getField("Content-Type"))
                    .getParameter("report-type");
            return new ReportStructure(reportType,
                    multipart.getBodyParts().stream().map(Entity::getMimeType).toList(),
                    multipart.getBodyParts().stream().map(Entity::getContentTransferEncoding).toList(),
                    multipart.getBodyParts().stream().map(ReportStructure::content).toList());
        } catch (IOException e) {
            throw new AssertionError("not a MIME message: " + e.getMessage(), e);
        }
    }

    /** The status part as text (UTF-8). */
    String status() {
        return new String(contents.get(1), StandardCharsets.UTF_8);
    }

    /** The returned message or header as text (UTF-8). */
    String returned() {
        return new String(contents.get(2), StandardCharsets.UTF_8);
    }

    private static byte[] content(Entity part) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (part.getBody() instanceof SingleBody single) single.writeTo(out);
            else new DefaultMessageWriter().writeEntity((Entity) part.getBody(), out);
        } catch (IOException | ClassCastException e) {
            throw new AssertionError("part " + part.getMimeType() + " not readable: " + e, e);
        }
        return out.toByteArray();
    }
}
