package sluice.admin.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * EOP spells enumerated values in PascalCase ({@code InternalRelay}, {@code Delivered}); our Java
 * constants are UPPER_SNAKE. This maps one to the other, and parses case-insensitively so
 * {@code internalrelay} and {@code INTERNAL_RELAY} work too.
 */
final class EopNames {

    private EopNames() {
    }

    static String of(Enum<?> value) {
        if (value == null) return null;
        return Arrays.stream(value.name().split("_"))
                .map(w -> w.charAt(0) + w.substring(1).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining());
    }

    /** The constant named {@code text}; an IllegalArgumentException listing the valid names otherwise. */
    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        String wanted = text.strip().replace("_", "").toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants())
            if (e.name().replace("_", "").toLowerCase(Locale.ROOT).equals(wanted)) return e;
        throw new IllegalArgumentException("must be one of " + Arrays.stream(type.getEnumConstants())
                .map(EopNames::of).collect(Collectors.joining(", ")));
    }
}
