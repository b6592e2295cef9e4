package sluice.admin.http;

import org.junit.jupiter.api.Test;
import sluice.core.mail.Domain;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An IllegalArgumentException becomes a 400; its message is shown only when Sluice's own validation wrote it
 * for the caller. The JDK's (a path, a pattern, a number, an enum's class) get a generic text with the
 * reference under which the exception is logged.
 */
class ProblemsTest {

    private static Problem problem(Throwable t) {
        Response r = Problems.from(t, "POST", "/api/v1/x");
        assertThat(r.status()).isEqualTo(400);
        return (Problem) r.body();
    }

    @Test
    void aMessageOfSluicesOwnValidationIsShown() {
        var e = catchThrowableOfType(IllegalArgumentException.class, () -> Domain.of("no..domain"));

        assertThat(problem(e).detail()).isEqualTo(e.getMessage());
    }

    @Test
    void theJdksMessagesAreNotShownButReferenced() {
        var path = catchThrowableOfType(IllegalArgumentException.class, () -> Path.of("/var/lib/sluice/secret\0x"));
        var pattern = catchThrowableOfType(IllegalArgumentException.class, () -> Pattern.compile("(unclosed"));
        var number = catchThrowableOfType(IllegalArgumentException.class, () -> Integer.parseInt("12x"));
        var enumName = catchThrowableOfType(IllegalArgumentException.class, () -> DayOfWeek.valueOf("Someday"));

        for (var e : new IllegalArgumentException[] {path, pattern, number, enumName}) {
            String detail = problem(e).detail();
            assertThat(detail).as(e.toString()).matches("A value in the request could not be processed \\(reference [0-9a-f]{8}\\)\\.");
        }
    }

    @Test
    void aFieldParserOfTheJdkGivesIsInvalidAndOneOfSluicesItsMessage() {
        FieldErrors errors = new FieldErrors();
        errors.parse("port", "12x", Integer::parseInt);
        errors.parse("domain", "no..domain", Domain::of);

        var thrown = catchThrowableOfType(ProblemException.class, errors::throwIfAny);
        assertThat(thrown.errors()).extracting(Problem.FieldError::detail)
                .containsExactly("is invalid", catchThrowableOfType(IllegalArgumentException.class, () -> Domain.of("no..domain")).getMessage());
    }
}
