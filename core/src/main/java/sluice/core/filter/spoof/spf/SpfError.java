package sluice.core.filter.spoof.spf;

/**
 * Ends an evaluation early with temperror or permerror (RFC 7208 section 2.6.6, 2.6.7). Checked, so
 * every step that can fail says so.
 */
final class SpfError extends Exception {

    private final SpfResult.Code code;

    private SpfError(SpfResult.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static SpfError perm(String message) {
        return new SpfError(SpfResult.Code.PERMERROR, message);
    }

    static SpfError temp(String message) {
        return new SpfError(SpfResult.Code.TEMPERROR, message);
    }

    SpfResult.Code code() {
        return code;
    }
}
