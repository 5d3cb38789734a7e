package org.libertyevents.publisher.api;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.IOException;

/**
 * A request body that fails every read once its deadline has passed. Liberty's {@code readTimeout} bounds each
 * wait for bytes, not the whole body, so without this a client sending a byte just within every timeout holds a
 * connection and a thread for as long as it likes.
 */
final class DeadlineInputStream extends ServletInputStream {

    /** A read after the body's deadline. */
    static final class Expired extends IOException {
        private static final long serialVersionUID = 1L;

        Expired() {
            super("the request body did not arrive in time");
        }
    }

    private final ServletInputStream body;
    private final long deadlineNanos;

    /** @param deadlineNanos the {@link System#nanoTime()} after which reads fail */
    DeadlineInputStream(ServletInputStream body, long deadlineNanos) {
        this.body = body;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public int read() throws IOException {
        check(deadlineNanos);
        return body.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        check(deadlineNanos);
        // Liberty's read blocks until it has all `length` bytes (over any number of chunks): ask only for what has
        // arrived, at least one byte, so that control comes back here, and to the deadline, as bytes arrive.
        int arrived = Math.min(length, Math.max(1, body.available()));
        return body.read(buffer, offset, length == 0 ? 0 : arrived);
    }

    @Override
    public boolean isFinished() {
        return body.isFinished();
    }

    @Override
    public boolean isReady() {
        return body.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        body.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    private static void check(long deadlineNanos) throws Expired {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new Expired();
        }
    }
}
