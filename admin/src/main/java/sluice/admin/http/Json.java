package sluice.admin.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * JSON in and out. Reading is strict (unknown fields, wrong types, trailing data and null for
 * primitives are refused) because a silently ignored typo in an admin API ("passwrd") is worse than a
 * 400. Error messages name the field and the expected type but never echo the submitted value, which
 * might be a password.
 */
public final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // Jackson turns 42 into "42" for a string field by default; an API should say it is wrong.
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private Json() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A value as a JSON tree (records as objects), e.g. to compare a resource before and after a change. */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Parses JSON text into a tree; null for malformed text (the caller decides what that means). */
    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses a request body; a 400 problem for anything that is not a valid {@code type}. */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) throw ProblemException.badRequest("A JSON request body is required.");
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) throw ProblemException.badRequest("The request body must be a JSON object, not null.");
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.badRequest("Unknown field '" + path(e) + "'; allowed fields: "
                    + known(e.getKnownPropertyIds()) + ".");
        } catch (MismatchedInputException e) {
            String field = path(e);
            String expected = expected(e.getTargetType());
            throw ProblemException.badRequest(field.isEmpty()
                    ? "The request body must be " + expected + "."
                    : "Field '" + field + "' must be " + expected + ".");
        } catch (JsonParseException e) {
            var at = e.getLocation();
            throw ProblemException.badRequest("Malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr() + ".");
        } catch (IOException e) { // other JsonMappingException, e.g. a record constructor refusing a value
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae && iae.getMessage() != null)
                throw ProblemException.badRequest(iae.getMessage());
            throw ProblemException.badRequest("The request body is not valid JSON for this resource.");
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("/"));
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "" : ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (type == null) return "of the right type";
        if (type == String.class) return "a string";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (Number.class.isAssignableFrom(type) || type == long.class || type == int.class) return "a number";
        if (Collection.class.isAssignableFrom(type) || type.isArray()) return "an array";
        return "a JSON object";
    }
}
