package sluice.imap;

import sluice.core.mailbox.MailboxStore.Folder;

import java.util.ArrayList;
import java.util.List;

/**
 * Folder names as clients send them: "/" between levels, international characters in modified
 * UTF-7 (RFC 3501 section 5.1.3). Names are kept and returned exactly as sent, so this only checks
 * them; the one rewrite is a first level naming INBOX or a special-use folder in another case
 * ("inbox", "sent"), written as we list it, as INBOX must be (section 5.1): "sent/2024" is below Sent.
 */
final class FolderName {

    static final char DELIMITER = '/';

    private FolderName() {
    }

    /** {@code name} with a first level naming a special folder in any case written as that folder's name. */
    static String normalize(String name) {
        int slash = name.indexOf(DELIMITER);
        String first = slash < 0 ? name : name.substring(0, slash);
        Folder special = special(first);
        return special == null ? name : special.displayName() + name.substring(first.length());
    }

    /** The special folder {@code name} means (INBOX or a special-use folder, in any case), or null. */
    static Folder special(String name) {
        for (Folder f : Folder.values()) if (f.displayName().equalsIgnoreCase(name)) return f;
        return null;
    }

    /** Why a client may not create a folder with this name, or null when it may. */
    static String refusal(String name, ImapServerConfig.FolderLimits limits) {
        if (name.isEmpty()) return "A folder name must not be empty";
        if (name.length() > limits.maxNameOctets())
            return "[LIMIT] A folder name may have at most " + limits.maxNameOctets() + " octets";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e)
                return "Folder names are written in modified UTF-7 (RFC 3501 section 5.1.3), not 8-bit or control characters";
            if (c == '*' || c == '%') return "A folder name must not contain the wildcards * and %";
        }
        if (name.charAt(0) == DELIMITER || name.charAt(name.length() - 1) == DELIMITER || name.contains("//"))
            return "A folder name must not begin or end with / or have an empty level";
        if (name.chars().filter(c -> c == DELIMITER).count() + 1 > limits.maxDepth())
            return "[LIMIT] Folders may be nested at most " + limits.maxDepth() + " levels deep";
        return validUtf7(name) ? null : "The folder name is not valid modified UTF-7 (RFC 3501 section 5.1.3)";
    }

    /**
     * Whether every "&" starts "&-" or a shifted run of modified base64 ("," for "/") ending in "-"
     * that decodes to whole UTF-16 code units, none of them printable ASCII (which must be written as
     * itself), with unpaired surrogates refused and unused bits zero.
     */
    static boolean validUtf7(String name) {
        int i = 0;
        while (i < name.length()) {
            if (name.charAt(i++) != '&') continue;
            int end = name.indexOf('-', i);
            if (end < 0) return false;
            if (end == i) {
                i++;
                continue; // "&-" is "&"
            }
            StringBuilder units = new StringBuilder();
            int bits = 0, buffer = 0;
            for (int j = i; j < end; j++) {
                int v = base64(name.charAt(j));
                if (v < 0) return false;
                buffer = (buffer << 6) | v;
                bits += 6;
                if (bits >= 16) {
                    bits -= 16;
                    units.append((char) ((buffer >> bits) & 0xFFFF));
                }
            }
            if (bits >= 6 || (buffer & ((1 << bits) - 1)) != 0 || units.isEmpty()) return false;
            for (int k = 0; k < units.length(); k++) {
                char u = units.charAt(k);
                if (u >= 0x20 && u <= 0x7e) return false;
                if (Character.isHighSurrogate(u) && (k + 1 == units.length() || !Character.isLowSurrogate(units.charAt(++k))))
                    return false;
                if (Character.isLowSurrogate(u)) return false;
            }
            i = end + 1;
        }
        return true;
    }

    private static int base64(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == ',') return 63;
        return -1;
    }

    /** The levels above {@code name} that are user folders (not INBOX, not a special folder), topmost first. */
    static List<String> parents(String name) {
        List<String> out = new ArrayList<>();
        for (int i = name.indexOf(DELIMITER); i >= 0; i = name.indexOf(DELIMITER, i + 1)) {
            String parent = name.substring(0, i);
            if (special(parent) == null) out.add(parent);
        }
        return out;
    }

    /** Whether {@code name} is below {@code parent} in the hierarchy. */
    static boolean below(String name, String parent) {
        return name.startsWith(parent + DELIMITER);
    }

    /** The name as an IMAP astring: an atom when it can be, else a quoted string. */
    static String quote(String name) {
        boolean atom = !name.isEmpty() && name.chars().allMatch(c -> Args.isAtomChar((char) c) || c == ']');
        return atom ? name : "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
