package org.libertyevents.aggregator.feed;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.libertyevents.aggregator.config.WaitSettings;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Long polls of the feed: reads that wait until they find something. A read that finds nothing waits here, and is
 * read again when the feed may have grown ({@link FeedGrowth}: this instance committed events, or the database's
 * transaction horizon moved), looked at every {@code EVENTS_WAIT_POLL} while anything waits. At its deadline a read
 * is answered with what it finds then (an empty page). No thread waits: one scheduled task reads for every waiting
 * request.
 */
@ApplicationScoped
public class FeedWaits {

    private static final Logger LOG = Logger.getLogger(FeedWaits.class.getName());

    @Resource
    private ManagedScheduledExecutorService scheduler;

    @Inject
    private FeedGrowth growth;

    @Inject
    private WaitSettings settings;

    @Inject
    private MetricRegistry registry;

    private final Set<Waiter<?>> waiters = ConcurrentHashMap.newKeySet();
    private FeedGrowth.Watch watch;
    private ScheduledFuture<?> ticks;

    @PostConstruct
    void start() {
        watch = growth.watch();
        long every = settings.poll().toMillis();
        ticks = scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        registry.gauge(Metadata.builder().withName("aggregator.feed.waiting")
                .withDescription("Long polls of the feed waiting on this instance").withUnit(MetricUnits.NONE)
                .build(), this, FeedWaits::waiting);
    }

    /**
     * Reads, and answers as soon as a read is {@code ready} or {@code wait} has passed.
     *
     * @return false, having read nothing, when {@code EVENTS_WAITERS_MAX} requests wait already
     */
    public <T> boolean await(Supplier<T> read, Predicate<T> ready, Duration wait, Consumer<T> answer,
                             Consumer<Throwable> fail) {
        if (waiters.size() >= settings.waiters()) {
            return false;
        }
        T first = read.get();
        if (ready.test(first)) {
            answer.accept(first);
            return true;
        }
        // Its first tick reads it again: the feed may have grown between its read and now.
        waiters.add(new Waiter<>(read, ready, System.nanoTime() + wait.toNanos(), answer, fail));
        return true;
    }

    /** Requests waiting now. */
    public int waiting() {
        return waiters.size();
    }

    private void tick() {
        if (waiters.isEmpty()) {
            return;
        }
        try {
            boolean grown = watch.grown();
            long time = System.nanoTime();
            for (Waiter<?> waiter : waiters) {
                if (waiter.due(grown, time)) {
                    waiter.readAgain(waiter.expired(time));
                    if (waiter.done()) {
                        waiters.remove(waiter);
                    }
                }
            }
        } catch (RuntimeException e) {
            // The database unreachable: the waiters' deadlines still end them, each with its own failure.
            LOG.log(Level.FINE, "A long-poll tick failed; the next one tries again", e);
            long time = System.nanoTime();
            waiters.removeIf(waiter -> waiter.expire(time, e));
        }
    }

    /** At shutdown every waiting request gets what there is now, rather than a dropped connection. */
    @PreDestroy
    void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        for (Waiter<?> waiter : waiters) {
            waiter.readAgain(true);
        }
        waiters.clear();
    }

    /** One waiting read. Only the tick task touches it after it is added, so its state needs no locking. */
    private static final class Waiter<T> {

        private final Supplier<T> read;
        private final Predicate<T> ready;
        private final long deadline;
        private final Consumer<T> answer;
        private final Consumer<Throwable> fail;
        private boolean fresh = true;
        private boolean done;

        Waiter(Supplier<T> read, Predicate<T> ready, long deadline, Consumer<T> answer, Consumer<Throwable> fail) {
            this.read = read;
            this.ready = ready;
            this.deadline = deadline;
            this.answer = answer;
            this.fail = fail;
        }

        boolean due(boolean grown, long time) {
            return grown || fresh || expired(time);
        }

        boolean expired(long time) {
            return time - deadline >= 0;
        }

        /** Reads, and answers if the read is ready or this is the {@code last} read. */
        void readAgain(boolean last) {
            fresh = false;
            try {
                T page = read.get();
                if (last || ready.test(page)) {
                    done = true;
                    answer.accept(page);
                }
            } catch (RuntimeException e) {
                done = true;
                fail.accept(e);
            }
        }

        boolean expire(long time, RuntimeException cause) {
            if (!expired(time)) {
                return false;
            }
            fail.accept(cause);
            return true;
        }

        boolean done() {
            return done;
        }
    }
}
