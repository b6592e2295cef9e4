package sluice.core.filter.dkim;

/** What {@link DkimSigner#sign} did: signed, or refused with a reason the caller can show. */
public sealed interface SignResult permits SignResult.Signed, SignResult.Refused {

    /**
     * @param field   the DKIM-Signature field to prepend, ending in CRLF
     * @param content the field followed by the original content
     */
    record Signed(String field, byte[] content) implements SignResult {
    }

    record Refused(String reason) implements SignResult {
    }
}
