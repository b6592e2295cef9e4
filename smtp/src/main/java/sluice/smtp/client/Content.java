package sluice.smtp.client;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The message as a transaction sends it after DATA: its size for MAIL's SIZE parameter (RFC 1870) and the
 * octets, written as a stream so that content produced on the fly (a 7-bit conversion, say) is never held
 * whole a second time. Dot-stuffing and the final dot are the connection's business, not the content's.
 */
public interface Content {

    /** The number of octets {@link #writeTo} writes. */
    long size();

    /**
     * Writes the message once; may be called once per transaction. An IOException comes from {@code out}
     * (the connection); anything else is a failure of the content itself and ends the transaction unsent.
     */
    void writeTo(OutputStream out) throws IOException;

    /** Content that is these bytes as they are. */
    static Content of(byte[] bytes) {
        return new Content() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }
}
