package sluice.cli.commands;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code --quota 2GB}: a size with an optional binary unit (B, KB, MB, GB, TB, as Exchange counts them), or "unlimited" (0). */
final class Sizes implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?I?B?)");

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    static long parse(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        if (v.equals("UNLIMITED")) return 0;
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) throw new TypeConversionException("'" + value + "' is not a size (like 500MB, 2GB, or unlimited)");
        String unit = m.group(2).replace("I", "").replace("B", "");
        int power = switch (unit) {
            case "" -> 0;
            case "K" -> 1;
            case "M" -> 2;
            case "G" -> 3;
            default -> 4;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        try {
            return bytes.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
    }
}
