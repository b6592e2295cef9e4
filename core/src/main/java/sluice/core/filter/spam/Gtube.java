package sluice.core.filter.spam;

import java.nio.charset.StandardCharsets;

/**
 * The GTUBE test string (https://spamassassin.apache.org/gtube/): a message carrying it is spam
 * at SCL 9 whatever else it says, so administrators can test their spam actions end to end.
 */
final class Gtube {

    static final String STRING = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final byte[] BYTES = STRING.getBytes(StandardCharsets.US_ASCII);

    private Gtube() {
    }

    /** In the raw bytes (as sent) or in the decoded text (when base64 or QP hides it). */
    static boolean present(byte[] raw, String decodedText) {
        return indexOf(raw, Math.min(raw.length, MessageParser.MAX_RAW_BYTES)) >= 0 || decodedText.contains(STRING);
    }

    private static int indexOf(byte[] raw, int limit) {
        outer:
        for (int i = 0; i <= limit - BYTES.length; i++) {
            if (raw[i] != 'X') {
                continue;
            }
            for (int j = 1; j < BYTES.length; j++) {
                if (raw[i + j] != BYTES[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
