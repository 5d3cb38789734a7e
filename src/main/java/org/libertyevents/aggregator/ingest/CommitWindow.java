package org.libertyevents.aggregator.ingest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Counts the commits begun and ended (from the database commit through the broker acknowledgement or the queue's
 * release), so that a reader can tell whether one overlapped its read, without holding writers back while it
 * calls the database and Redis.
 */
final class CommitWindow {

    private final AtomicLong begun = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();

    void begin() {
        begun.incrementAndGet();
    }

    void end() {
        ended.incrementAndGet();
    }

    /**
     * Runs {@code reader} until no commit began or was under way during a run, at most {@code attempts} times, and
     * returns the last result.
     */
    <T> T readQuiet(Supplier<T> reader, int attempts) {
        for (int attempt = 1; ; attempt++) {
            // Ended before begun: a commit that begins between the two reads shows as one under way.
            long endedBefore = ended.get();
            long begunBefore = begun.get();
            T value = reader.get();
            if (begunBefore == endedBefore && begun.get() == begunBefore || attempt >= attempts) {
                return value;
            }
        }
    }
}
