package org.libertyevents.aggregator.feed;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.StoredEvent;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * One open stream: where it is in the feed, and whether its last sends are done. Only the tick task of
 * {@link FeedStreams} reads and sends; the completions of the sends, on the container's threads, only say that they
 * are done or failed.
 */
final class FeedStream {

    private final SseEventSink sink;
    private final Function<FeedPosition, List<StoredEvent>> read;
    private final Function<StoredEvent, OutboundSseEvent> event;
    private final OutboundSseEvent heartbeat;
    private FeedPosition position;
    /** The last read found events, so there may be more: read again without waiting for the feed to grow. */
    private boolean behind = true;
    private long lastSent;
    private volatile boolean sending;
    private volatile boolean failed;

    FeedStream(SseEventSink sink, FeedPosition from, Function<FeedPosition, List<StoredEvent>> read,
               Function<StoredEvent, OutboundSseEvent> event, OutboundSseEvent heartbeat, long lastSent) {
        this.sink = sink;
        this.position = from;
        this.read = read;
        this.event = event;
        this.heartbeat = heartbeat;
        this.lastSent = lastSent;
    }

    /** A send failed or the client went: the stream is over. */
    boolean ended() {
        return failed || sink.isClosed();
    }

    /** The previous sends are done, so the stream may read and send again (back-pressure). */
    boolean ready() {
        return !sending;
    }

    /** Whether to read now: the feed may have grown, or the last read found events. */
    boolean due(boolean grown) {
        return grown || behind;
    }

    /**
     * Reads the events after the stream's position and sends them; {@code sent} gets how many were sent once all
     * are, or -1 when one failed.
     */
    void sendNext(long now, IntConsumer sent) {
        List<StoredEvent> page = read.apply(position);
        behind = !page.isEmpty();
        if (behind) {
            position = page.get(page.size() - 1).position();
            send(page.stream().map(event).toList(), now, sent);
        }
    }

    /** Sends a comment when nothing was sent for {@code everyNanos}. */
    void heartbeat(long now, long everyNanos, IntConsumer sent) {
        if (now - lastSent >= everyNanos) {
            send(List.of(heartbeat), now, count -> sent.accept(count < 0 ? count : 0));
        }
    }

    void close() {
        try {
            sink.close();
        } catch (RuntimeException e) {
            // closing a stream whose connection already failed: nothing more to do
        }
    }

    private void send(List<OutboundSseEvent> events, long now, IntConsumer sent) {
        sending = true;
        lastSent = now;
        CompletableFuture<?>[] sends = new CompletableFuture<?>[events.size()];
        try {
            for (int i = 0; i < sends.length; i++) {
                sends[i] = sink.send(events.get(i)).toCompletableFuture();
            }
        } catch (IllegalStateException e) {
            // the sink closed under the stream (the client went, or shutdown)
            failed = true;
            sending = false;
            return;
        }
        CompletableFuture.allOf(sends).whenComplete((done, failure) -> {
            if (failure != null) {
                failed = true;
            }
            sending = false;
            sent.accept(failure != null ? -1 : sends.length);
        });
    }
}
