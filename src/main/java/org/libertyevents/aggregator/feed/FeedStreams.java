package org.libertyevents.aggregator.feed;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.libertyevents.aggregator.config.StreamSettings;
import org.libertyevents.aggregator.config.WaitSettings;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.StoredEvent;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Live streams of the feed (Server-Sent Events). Each stream reads the page after its position and sends it; it
 * reads its next page once those sends are done (back-pressure: a slow client holds nothing but its own page), at
 * once while it is behind, and otherwise when the feed may have grown ({@link FeedGrowth}, looked at every
 * {@code EVENTS_WAIT_POLL}). A stream that sent nothing for {@code EVENTS_STREAM_HEARTBEAT} sends a comment. A failed
 * send or a closed connection ends the stream and frees its place among the {@code EVENTS_STREAMS_MAX}. No thread
 * per stream: one task at a time reads and sends for all of them, run on the managed scheduler.
 */
@ApplicationScoped
public class FeedStreams {

    private static final Logger LOG = Logger.getLogger(FeedStreams.class.getName());

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @Inject
    private FeedGrowth growth;

    @Inject
    private StreamSettings settings;

    @Inject
    private WaitSettings waits;

    @Inject
    private MetricRegistry registry;

    private final Set<FeedStream> streams = ConcurrentHashMap.newKeySet();
    /** Ticks asked for and not yet run; whoever raises it from 0 starts the task, which runs one tick at a time. */
    private final AtomicInteger asked = new AtomicInteger();
    private Semaphore places;
    private FeedGrowth.Watch watch;
    private Counter eventsSent;
    private ScheduledFuture<?> ticks;
    private volatile boolean stopping;

    @PostConstruct
    void start() {
        places = new Semaphore(settings.max());
        watch = growth.watch();
        long every = waits.poll().toMillis();
        ticks = scheduler.scheduleWithFixedDelay(this::wake, every, every, TimeUnit.MILLISECONDS);
        registry.gauge(Metadata.builder().withName("aggregator.feed.streams")
                .withDescription("Live streams of the feed open on this instance").withUnit(MetricUnits.NONE)
                .build(), this, FeedStreams::openStreams);
        eventsSent = registry.counter(Metadata.builder().withName("aggregator.feed.stream.events")
                .withDescription("Events sent on the live streams of this instance").withUnit(MetricUnits.NONE)
                .build());
    }

    /**
     * Starts a stream after {@code from}: {@code read} gives the events after a position, in feed order (a page),
     * {@code event} spells one as it is sent.
     *
     * @return false, having opened nothing, when {@code EVENTS_STREAMS_MAX} streams are open already
     */
    public boolean open(SseEventSink sink, FeedPosition from, Function<FeedPosition, List<StoredEvent>> read,
                        Function<StoredEvent, OutboundSseEvent> event, OutboundSseEvent heartbeat) {
        if (stopping || !places.tryAcquire()) {
            return false;
        }
        // As if its last send were a heartbeat ago: its first tick sends at least a comment, and with it the answer's
        // headers, which the container holds back until the first bytes (a client of a quiet feed would wait).
        streams.add(new FeedStream(sink, from, read, event, heartbeat,
                System.nanoTime() - settings.heartbeat().toNanos()));
        wake();
        return true;
    }

    /** Streams open now. */
    public int openStreams() {
        return streams.size();
    }

    private void wake() {
        if (!stopping && asked.getAndIncrement() == 0) {
            try {
                scheduler.execute(this::tickWhileAsked);
            } catch (RejectedExecutionException e) {
                // the application is stopping; stop() closes the streams
                asked.set(0);
            }
        }
    }

    private void tickWhileAsked() {
        int missed = 1;
        do {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A stream tick failed; the next one goes on", e);
            }
            missed = asked.addAndGet(-missed);
        } while (missed != 0);
    }

    private void tick() {
        if (streams.isEmpty()) {
            return;
        }
        boolean reading = true;
        boolean grown = false;
        try {
            grown = watch.grown();
        } catch (RuntimeException e) {
            // The database unreachable: no reads this tick, heartbeats still go, the next tick tries again.
            LOG.log(Level.FINE, "A stream tick could not read the horizon", e);
            reading = false;
        }
        long now = System.nanoTime();
        long heartbeat = settings.heartbeat().toNanos();
        for (FeedStream stream : streams) {
            if (stream.ended()) {
                end(stream);
                continue;
            }
            if (reading && stream.ready() && stream.due(grown)) {
                try {
                    stream.sendNext(now, this::sent);
                } catch (RuntimeException e) {
                    // Likely the database again: the other streams wait for the next tick rather than each time out.
                    LOG.log(Level.FINE, "A stream could not read the feed; it tries again at the next tick", e);
                    reading = false;
                }
            }
            if (stream.ready()) {
                stream.heartbeat(now, heartbeat, this::sent);
            }
        }
    }

    private void sent(int events) {
        if (events > 0) {
            eventsSent.inc(events);
        }
        // The stream may read its next page now, or is over (-1) and gives its place back.
        wake();
    }

    private void end(FeedStream stream) {
        if (streams.remove(stream)) {
            stream.close();
            places.release();
        }
    }

    /**
     * When the application stops, every stream is ended, so that its client sees the end of it and reconnects.
     * Liberty stops applications only after its quiesce (up to 30 s), which open streams outlast: see the README's
     * known issues.
     */
    @PreDestroy
    void stop() {
        stopping = true;
        if (ticks != null) {
            ticks.cancel(false);
        }
        streams.forEach(this::end);
    }
}
