package sluice.admin.http;

import java.util.List;
import java.util.Map;

/**
 * A failure the caller should see as a problem response. The detail is client-visible: it says what
 * was wrong and what to do, and never contains a secret or a request value that might be one.
 */
public final class ProblemException extends RuntimeException {

    private final int status;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(int status, String detail, List<Problem.FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false); // no stack trace: these are expected, and cheap to throw
        this.status = status;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public ProblemException(int status, String detail) {
        this(status, detail, List.of(), Map.of());
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, detail);
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        return new ProblemException(400, "The request has invalid fields; see errors.", errors, Map.of());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, detail);
    }

    public int status() {
        return status;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
