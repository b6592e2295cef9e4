package sluice.cli.output;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON output as escaped as the terminal needs. Jackson escapes C0 controls already, but writes DEL,
 * the C1 controls (which some terminals obey even UTF-8 encoded: U+009B is CSI) and bidi overrides
 * as they are. This escapes every {@linkplain Terminal#unsafe unsafe} character as {@code \}{@code uXXXX}:
 * the JSON means exactly the same to a parser, and {@code -o json} printed on a terminal is harmless.
 * Jackson offers a character escape one UTF-16 unit at a time, so a character beyond the BMP (the tag
 * characters U+E0000 to U+E007F are format characters that hide text) is judged whole afterwards, by
 * {@link #supplementary}; an emoji, which is safe, stays as it is.
 */
final class TerminalEscapes extends CharacterEscapes {

    private final int[] ascii;

    TerminalEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    /**
     * {@code json} with every unsafe code point beyond the BMP written as its escaped surrogate pair. Outside
     * strings JSON is ASCII, so every such code point is in a string, where the escape means the same.
     */
    static String supplementary(String json) {
        if (json.codePoints().noneMatch(cp -> Character.isSupplementaryCodePoint(cp) && Terminal.unsafe(cp))) return json;
        StringBuilder b = new StringBuilder(json.length() + 16);
        json.codePoints().forEach(cp -> {
            if (Character.isSupplementaryCodePoint(cp) && Terminal.unsafe(cp))
                b.append(String.format("\\u%04X\\u%04X", (int) Character.highSurrogate(cp), (int) Character.lowSurrogate(cp)));
            else b.appendCodePoint(cp);
        });
        return b.toString();
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (Character.isSurrogate((char) ch) || !Terminal.unsafe(ch)) return null;
        return new SerializedString(String.format("\\u%04X", ch));
    }
}
