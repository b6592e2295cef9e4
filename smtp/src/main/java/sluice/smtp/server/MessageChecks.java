package sluice.smtp.server;

/** Checks on a complete message: BDAT content rules and the Received count for loop detection. */
final class MessageChecks {

    private MessageChecks() {
    }

    /**
     * Faults in BDAT text content (7BIT or 8BITMIME). BDAT cannot be smuggled (it is counted, not
     * delimited), but a message with bare line ends would become a smuggling vector the moment it is
     * relayed with DATA, so it is refused the same way.
     */
    static ContentFault textFault(byte[] m) {
        ContentFault.Found found = new ContentFault.Found();
        int lineLength = 0;
        for (int i = 0; i < m.length; i++) {
            byte b = m[i];
            if (b == '\r' && i + 1 < m.length && m[i + 1] == '\n') {
                if (lineLength + 2 > ContentFault.MAX_LINE) found.add(ContentFault.LINE_TOO_LONG);
                lineLength = 0;
                i++;
                continue;
            }
            if (b == '\r' || b == '\n') found.add(ContentFault.BARE_LINE_END);
            else if (b == 0) found.add(ContentFault.NUL);
            lineLength++;
        }
        if (lineLength + 2 > ContentFault.MAX_LINE) found.add(ContentFault.LINE_TOO_LONG);
        return found.worst();
    }

    /**
     * Counts "Received:" header fields (case-insensitive, RFC 5322 obsolete WSP before the colon
     * allowed) in the header section, which ends at the first empty line.
     */
    static int receivedCount(byte[] m) {
        int count = 0;
        int i = 0;
        while (i < m.length) {
            int end = i;
            while (end < m.length && m[end] != '\n') end++;
            int lineEnd = end > i && m[end - 1] == '\r' ? end - 1 : end;
            if (lineEnd == i) break; // the empty line ends the header
            if (startsWithReceived(m, i, lineEnd)) count++;
            i = end + 1;
        }
        return count;
    }

    private static boolean startsWithReceived(byte[] m, int from, int to) {
        String name = "received";
        if (to - from < name.length() + 1) return false;
        for (int k = 0; k < name.length(); k++) {
            if (Character.toLowerCase((char) (m[from + k] & 0xff)) != name.charAt(k)) return false;
        }
        int j = from + name.length();
        while (j < to && (m[j] == ' ' || m[j] == '\t')) j++;
        return j < to && m[j] == ':';
    }
}
