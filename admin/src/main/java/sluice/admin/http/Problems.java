package sluice.admin.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.account.Users;
import sluice.core.org.Directory;
import sluice.core.trace.Incident;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Turns any exception from a handler into the problem response the caller sees. */
final class Problems {

    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    static Response from(Throwable t, String method, String path) {
        return switch (t) {
            case ProblemException p -> problem(p.status(), p.getMessage(), p.errors(), p.headers(), path);
            // Reading the body failed: the client stopped sending or broke the framing; not our fault.
            case IOException e -> problem(400, "The request body could not be read.", List.of(), Map.of(), path);
            case Directory.NotFound e -> problem(404, e.getMessage(), List.of(), Map.of(), path);
            case Directory.Conflict e -> problem(409, e.getMessage(), List.of(), Map.of(), path);
            case Users.NotFound e -> problem(404, e.getMessage(), List.of(), Map.of(), path);
            case Users.Conflict e -> problem(409, e.getMessage(), List.of(), Map.of(), path);
            // Value types (Domain, Address, ...) validate in their constructors; their messages are
            // written for the person who typed the value.
            case IllegalArgumentException e when UserMessages.of(e).isPresent() -> problem(400, e.getMessage(), List.of(), Map.of(), path);
            // Thrown by the JDK or a library (a path, a pattern, a number, an enum name): most likely bad input that no
            // route checked, but its message was written for developers and may name files or classes.
            case IllegalArgumentException e when e.getMessage() != null -> {
                Incident i = Incident.logged(LOG, method + " " + path, e);
                yield problem(400, "A value in the request could not be processed (reference " + i.reference() + ").",
                        List.of(), Map.of(), path);
            }
            default -> {
                LOG.error("{} {} failed", method, path, t);
                yield problem(500, "An internal error occurred; it has been logged. Try again, and report it if it persists.",
                        List.of(), Map.of(), path);
            }
        };
    }

    static Response problem(int status, String detail, List<Problem.FieldError> errors, Map<String, String> headers, String path) {
        Problem body = new Problem("about:blank", title(status), status, detail, path, errors);
        return new Response(status, Problem.CONTENT_TYPE, body, headers);
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            case 500 -> "Internal Server Error";
            default -> "Error";
        };
    }
}
