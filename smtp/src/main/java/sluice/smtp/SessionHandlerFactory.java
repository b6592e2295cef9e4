package sluice.smtp;

/** Creates the handler for each new connection. */
@FunctionalInterface
public interface SessionHandlerFactory {
    SessionHandler open(ConnectionInfo connection);
}
