package sluice.smtp.server;

import sluice.smtp.Reply;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A session's replies on their way to the client: buffered, written under one lock and bounded by a
 * write deadline. The same lock decides who tells a session waiting for a command that the server
 * shuts down: the session itself at its next command boundary, or the server while it waits.
 */
final class ReplyChannel {

    private final ReentrantLock io = new ReentrantLock();
    /** The accepted TCP socket, under any TLS layer: closing it unblocks every read and write. */
    private final Socket plain;
    private final Duration writeTimeout;
    private volatile boolean writeTimedOut;
    private volatile boolean closedByServer;
    private boolean awaitingCommand;
    private OutputStream out;

    ReplyChannel(Socket plain, Duration writeTimeout) {
        this.plain = plain;
        this.writeTimeout = writeTimeout;
    }

    /** Writes to {@code s} from now on: the accepted socket, then the TLS one after a handshake. */
    void attach(Socket s) throws IOException {
        out = new BufferedOutputStream(new WriteDeadline(s.getOutputStream(), writeTimeout, this::deadlinePassed), 4096);
    }

    void send(Reply reply) throws IOException {
        io.lock();
        try {
            writeLocked(reply);
        } finally {
            io.unlock();
        }
    }

    void flush() throws IOException {
        io.lock();
        try {
            out.flush();
        } finally {
            io.unlock();
        }
    }

    /** Sends and flushes a last reply, if the client still takes it. */
    void trySend(Reply reply) {
        try {
            send(reply);
            flush();
        } catch (IOException | RuntimeException ignored) {
            // the client is gone; nothing more to tell it
        }
    }

    /** True once a reply could not be written within the deadline: the client does not read. */
    boolean writeTimedOut() {
        return writeTimedOut;
    }

    /** True once the server closed (or decided to close) the connection. */
    boolean closedByServer() {
        return closedByServer;
    }

    void closeByServer() {
        closedByServer = true;
    }

    /**
     * At a command boundary: when {@code closeNow} holds, {@code bye} is written, the channel counts as
     * closed by the server and this returns false; otherwise the session counts as waiting for a command
     * until {@link #commandArrived}. Decided under the lock, so a shutdown's {@link #tellIfIdle} sees either.
     */
    boolean awaitCommand(BooleanSupplier closeNow, Reply bye) throws IOException {
        io.lock();
        try {
            if (closeNow.getAsBoolean()) {
                writeLocked(bye);
                closedByServer = true;
                return false;
            }
            awaitingCommand = true;
            return true;
        } finally {
            io.unlock();
        }
    }

    void commandArrived() {
        io.lock();
        awaitingCommand = false;
        io.unlock();
    }

    /**
     * For a shutdown, from the server's thread; returns at once. When the lock is free the decision is
     * made now; when it is taken, a thread named {@code threadName} waits for it and decides after that
     * flush. A session waiting for a command, not {@code busy} and not closed already, is told {@code bye}
     * and {@code close} runs.
     *
     * @return that thread, or null when decided already
     */
    Thread tellIfIdle(String threadName, BooleanSupplier busy, Reply bye, Runnable close) {
        if (io.tryLock()) {
            closeIfIdle(busy, bye, close);
            return null;
        }
        return Thread.ofVirtual().name(threadName).start(() -> {
            io.lock();
            closeIfIdle(busy, bye, close);
        });
    }

    /** With the lock held, which this gives back. */
    private void closeIfIdle(BooleanSupplier busy, Reply bye, Runnable close) {
        try {
            if (!awaitingCommand || busy.getAsBoolean() || closedByServer) return;
            closedByServer = true;
            writeLocked(bye);
            out.flush();
        } catch (IOException ignored) {
            // the client is gone already
        } finally {
            io.unlock();
        }
        close.run();
    }

    /** On the write-deadline timer's thread. Closes the TCP socket itself: closing TLS would try to write once more. */
    private void deadlinePassed() {
        writeTimedOut = true;
        closedByServer = true;
        try {
            plain.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void writeLocked(Reply reply) throws IOException {
        out.write(reply.toWire().getBytes(StandardCharsets.UTF_8));
    }
}
