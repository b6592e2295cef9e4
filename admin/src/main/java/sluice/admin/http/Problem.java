package sluice.admin.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem document. {@code type} is {@code about:blank} (the title is then the HTTP status
 * phrase, section 4.2.1) until a problem needs a type of its own; {@code errors} lists field validation
 * failures as JSON pointers into the request body, the shape of the RFC's section 3 example.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** One invalid field: {@code pointer} is a JSON pointer fragment such as {@code #/aliases/1}. */
    public record FieldError(String pointer, String detail) {
    }
}
