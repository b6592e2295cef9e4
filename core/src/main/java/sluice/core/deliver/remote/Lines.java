package sluice.core.deliver.remote;

/**
 * Lines of raw message octets as the SMTP client sends them: a line ends at CRLF, or at a bare CR or LF
 * (which the client turns into CRLF on the wire).
 */
final class Lines {

    private Lines() {}

    /** Where the line starting at {@code pos} (below the end of {@code in}) ends, its terminator included. */
    static int next(byte[] in, int pos) {
        for (int i = pos; i < in.length; i++) {
            if (in[i] == '\n') return i + 1;
            if (in[i] == '\r') return i + 1 < in.length && in[i + 1] == '\n' ? i + 2 : i + 1;
        }
        return in.length;
    }

    /** Where the content of the line [{@code pos}, {@code next}) ends, its terminator left out. */
    static int contentEnd(byte[] in, int pos, int next) {
        int e = next;
        if (e > pos && in[e - 1] == '\n') e--;
        if (e > pos && in[e - 1] == '\r') e--;
        return e;
    }

    static boolean has8Bit(byte[] in, int from, int to) {
        for (int i = from; i < to; i++) if (in[i] < 0) return true;
        return false;
    }
}
