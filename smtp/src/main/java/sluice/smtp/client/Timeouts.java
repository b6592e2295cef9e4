package sluice.smtp.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Client timeouts. {@link #RFC_5321} holds the minimums of RFC 5321 section 4.5.3.2 (the connect
 * timeout is ours: the RFC has none). Each bounds a whole step, not the gap between two bytes: all
 * of a reply, all of the TLS handshake (the command timeout), and the writing of each command (its
 * reply's timeout) and of each block of content.
 *
 * @param connect         TCP connect
 * @param greeting        the 220 greeting (RFC: 5 minutes)
 * @param command         EHLO, STARTTLS, MAIL, RCPT, RSET, QUIT replies and the TLS handshake (RFC: 5 minutes for MAIL and RCPT)
 * @param dataInitiation  the 354 reply to DATA (RFC: 2 minutes)
 * @param dataBlock       each write of message content (RFC: 3 minutes)
 * @param dataTermination the reply after the final dot (RFC: 10 minutes)
 */
public record Timeouts(Duration connect, Duration greeting, Duration command, Duration dataInitiation,
                       Duration dataBlock, Duration dataTermination) {

    public static final Timeouts RFC_5321 = new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10));

    public Timeouts {
        for (Duration d : new Duration[]{connect, greeting, command, dataInitiation, dataBlock, dataTermination}) {
            Objects.requireNonNull(d);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** The same timeout for every step (tests). */
    public static Timeouts uniform(Duration d) {
        return new Timeouts(d, d, d, d, d, d);
    }
}
