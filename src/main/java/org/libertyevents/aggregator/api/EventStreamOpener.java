package org.libertyevents.aggregator.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.libertyevents.aggregator.config.ReadSettings;
import org.libertyevents.aggregator.feed.FeedStreams;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.StoredEvent;

import java.time.Duration;
import java.util.List;

/**
 * Opens the live stream of {@code GET /events/stream} on {@link FeedStreams}, and spells its messages: each event one
 * SSE message without an event name (an {@code EventSource}'s {@code onmessage} gets it), its {@code data} the event
 * as {@code GET /events} shows it, its {@code id} the cursor right after it, so that a client that reconnects with
 * {@code Last-Event-ID} goes on with no gap and no repeat ({@link StreamStart}).
 */
@ApplicationScoped
public class EventStreamOpener {

    /** Events a stream reads and sends at a time: its next read waits until they are sent. */
    private static final int PAGE = 100;

    @EJB
    private EventRepository repository;

    @Inject
    private ReadSettings reads;

    @Inject
    private FeedStreams streams;

    /**
     * @throws ProblemException 400 for a start this service did not issue, 503 past {@code EVENTS_STREAMS_MAX}
     */
    void open(String topic, String source, String after, String from, String lastEventId, SseEventSink sink,
              Sse sse) {
        FeedPosition start = StreamStart.resolve(lastEventId, after, from, () -> repository.end(topic, source));
        OutboundSseEvent heartbeat = sse.newEventBuilder().comment("heartbeat").build();
        if (!streams.open(sink, start, position -> page(topic, source, position), row -> event(sse, row),
                heartbeat)) {
            throw new ProblemException(Problem.unavailable("too-many-streams", "Too many streams",
                    "this instance has EVENTS_STREAMS_MAX streams open already; try again, or another instance",
                    Duration.ofSeconds(1)));
        }
    }

    private List<StoredEvent> page(String topic, String source, FeedPosition after) {
        List<StoredEvent> rows = repository.page(topic, source, after, PAGE, false);
        return rows.subList(0, EventsResource.fitting(rows, PAGE, reads.pageMaxBytes()));
    }

    private static OutboundSseEvent event(Sse sse, StoredEvent row) {
        return sse.newEventBuilder().id(EventCursor.encode(row.position()))
                .data(JsonbConfigProvider.JSONB.toJson(EventView.of(row))).build();
    }
}
