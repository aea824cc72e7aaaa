package dev.tokenauth.ops;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;

/**
 * JSON escapes for log lines beyond the standard ones: DEL and the C1 controls (U+007F to U+009F,
 * among them NEL U+0085 and CSI U+009B, which terminals act on) and the line and paragraph
 * separators U+2028 and U+2029 (which some log viewers break lines at). A line then never holds
 * a character a reader could take for the end of a line or a terminal command.
 */
final class LogLineEscapes extends CharacterEscapes {

    private static final int[] ASCII = standardAsciiEscapesForJSON();

    static {
        ASCII[0x7F] = ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        if (ch == 0x7F || ch >= 0x80 && ch <= 0x9F || ch == 0x2028 || ch == 0x2029) {
            return new SerializedString(String.format("\\u%04x", ch));
        }
        return null;
    }
}
