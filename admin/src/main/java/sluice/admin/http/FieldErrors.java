package sluice.admin.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Collects every invalid field of a request body, so the caller fixes them all in one round trip
 * instead of one per request.
 */
public final class FieldErrors {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /**
     * {@code parser(value)}, or null when value is null or the parser refuses it (recorded, with the parser's message
     * when it is one of Sluice's, see {@link UserMessages}).
     */
    public <T> T parse(String field, String value, Function<String, T> parser) {
        if (value == null) return null;
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            add(field, UserMessages.of(e, "is invalid"));
            return null;
        }
    }

    /** Records "is required" when value is null; returns value. */
    public <T> T required(String field, T value) {
        if (value == null) add(field, "is required");
        return value;
    }

    public void check(boolean ok, String field, String detail) {
        if (!ok) add(field, detail);
    }

    public void add(String field, String detail) {
        errors.add(new Problem.FieldError("#/" + field, detail));
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws a 400 listing every recorded error, if any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) throw ProblemException.invalid(errors);
    }
}
