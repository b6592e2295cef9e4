package sluice.core.deliver.remote;

/** A TLS requirement the next hop did not meet: try another host, and defer if none meets it. */
final class TlsFailure extends Exception {
    private final String reply;

    TlsFailure(String reply, String detail) {
        super(detail);
        this.reply = reply;
    }

    String reply() { return reply; }
}
