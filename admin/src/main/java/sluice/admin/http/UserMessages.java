package sluice.admin.http;

import java.util.Optional;

/**
 * Whether an {@link IllegalArgumentException}'s message may be shown to the caller. Sluice's value types and
 * validators (Domain, Address, IpRange, the record constructors) throw it with messages written for the person
 * who typed the value. The JDK and libraries throw it too ({@code InvalidPathException} names a path,
 * {@code PatternSyntaxException} a pattern, {@code Enum.valueOf} a class), and those messages were written
 * for developers: they are not shown. The test is where the exception was made: in Sluice's own code or not.
 */
public final class UserMessages {

    private UserMessages() {
    }

    /** The message of {@code e} when Sluice's own code wrote it; else empty. */
    public static Optional<String> of(IllegalArgumentException e) {
        StackTraceElement[] trace = e.getStackTrace();
        boolean ours = trace.length > 0 && trace[0].getClassName().startsWith("sluice.");
        return ours ? Optional.ofNullable(e.getMessage()) : Optional.empty();
    }

    /** The message of {@code e} when Sluice's own code wrote it; else {@code otherwise}. */
    public static String of(IllegalArgumentException e, String otherwise) {
        return of(e).orElse(otherwise);
    }
}
