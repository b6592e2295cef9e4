package sluice.core.filter;

import sluice.smtp.Reply;

import java.util.List;

/**
 * What happens to a message after inspection. Every refusal has two faces: the client-safe reply
 * and the private reason for the trace.
 */
public sealed interface Verdict permits Verdict.Deliver, Verdict.Quarantine, Verdict.Reject, Verdict.Defer, Verdict.Drop {

    /**
     * Deliver, with the header fields to add (Authentication-Results, X-Sluice-Antispam-Report, ...)
     * and, for hosted mailboxes, the folder.
     *
     * @param subjectPrefix text to put before the Subject, or null
     */
    record Deliver(boolean junk, List<String> headers, String subjectPrefix, String reason) implements Verdict {
        public Deliver {
            headers = List.copyOf(headers);
        }
    }

    /** Hold in quarantine; nobody receives it until released. */
    record Quarantine(QuarantineReason reason, String details, List<String> headers) implements Verdict {
        public Quarantine {
            headers = List.copyOf(headers);
        }
    }

    /** Refuse the message in the SMTP dialogue (no bounce: the sending server owns the failure). */
    record Reject(Reply reply, String reason) implements Verdict {
    }

    /** Could not decide now (e.g. malware scanning unavailable): ask the sender to retry. */
    record Defer(Reply reply, String reason) implements Verdict {
    }

    /**
     * Accept the message and deliver it to nobody (a mail flow rule's deleteMessage): the sender
     * sees success, the trace shows why it went nowhere.
     */
    record Drop(String reason) implements Verdict {
    }

    enum QuarantineReason { SPAM, HIGH_CONFIDENCE_SPAM, PHISH, MALWARE, POLICY }
}
