/**
 * Test fixtures shared by every module through the smtp test-jar: {@link sluice.smtp.testing.SmtpSink}
 * (an in-process SMTP server that records what it receives and misbehaves on request) and
 * {@link sluice.smtp.testing.TestCertificates} (a throw-away CA, leaf and self-signed certificates).
 *
 * <p>Inputs: a loopback address to bind (127.0.0.x), optionally a TLS identity and per-phase
 * replies. Outputs: {@link sluice.smtp.testing.SinkMessage}s (envelope, content, TLS state) and
 * connection counts. Failure modes: a bind failure is an unchecked exception at start; waiting
 * for messages that do not come fails with an AssertionError saying what did arrive.
 */
package sluice.smtp.testing;
