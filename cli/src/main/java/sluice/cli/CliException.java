package sluice.cli;

/**
 * A failure to report to the user as one message (and maybe a few indented lines) on stderr, with
 * exit code 1 and no stack trace.
 */
public class CliException extends RuntimeException {

    public CliException(String message) {
        super(message, null, false, false);
    }
}
