package sluice.cli.output;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * JSON output as escaped as the terminal needs. Jackson escapes C0 controls already, but writes DEL,
 * the C1 controls (which some terminals obey even UTF-8 encoded: U+009B is CSI) and bidi overrides
 * as they are. This escapes every {@linkplain Terminal#unsafe unsafe} character as {@code \}{@code uXXXX}:
 * the JSON means exactly the same to a parser, and {@code -o json} printed on a terminal is harmless.
 * Surrogates are left alone: an emoji escaped would only be harder to read, and nothing beyond the
 * BMP steers a terminal.
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

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (Character.isSurrogate((char) ch) || !Terminal.unsafe(ch)) return null;
        return new SerializedString(String.format("\\u%04X", ch));
    }
}
