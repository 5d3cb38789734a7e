package org.libertyevents.publisher.generate;

import java.util.List;

/**
 * What to generate for one run: {@code count} events in total, of which {@link #duplicateCount()} are true
 * duplicates (byte-identical resends of an earlier event), spread over {@code topics} and cut into batches of
 * {@code batchSize}. The same spec, {@code seed} included, always yields the same events in the same order.
 *
 * @param runId          names the run; event ids and the source are derived from it
 * @param count          total events to send, duplicates included; at least 1
 * @param duplicateRatio share of {@code count} that are duplicates, {@code 0 <= ratio < 1}
 * @param topics         topics to spread events over; not empty, no blank names
 * @param batchSize      events per batch; at least 1
 * @param seed           seed of the pseudo-random choices
 */
public record GenerationSpec(String runId, int count, double duplicateRatio, List<String> topics, int batchSize,
                             long seed) {

    /** Validates every field and copies {@code topics}; throws {@link IllegalArgumentException} on a bad value. */
    public GenerationSpec {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("run_id must not be blank");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, got " + count);
        }
        // Written so that NaN fails too.
        if (!(duplicateRatio >= 0 && duplicateRatio < 1)) {
            throw new IllegalArgumentException(
                    "duplicate_ratio must be at least 0 and less than 1, got " + duplicateRatio);
        }
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("topics must not be empty");
        }
        for (String topic : topics) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topics must not contain a blank name");
            }
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
        }
        if (duplicatesIn(count, duplicateRatio) >= count) {
            throw new IllegalArgumentException("duplicate_ratio leaves no unique events: "
                    + count + " x " + duplicateRatio + " rounds to " + count + " duplicates");
        }
        topics = List.copyOf(topics);
    }

    /** Number of duplicates: {@code count * duplicateRatio}, rounded to the nearest integer. */
    public int duplicateCount() {
        return duplicatesIn(count, duplicateRatio);
    }

    /** Number of distinct events: {@code count - duplicateCount()}, at least 1. */
    public int uniqueCount() {
        return count - duplicateCount();
    }

    // Static because the compact constructor runs before the fields are assigned.
    private static int duplicatesIn(int count, double duplicateRatio) {
        return (int) Math.round(count * duplicateRatio);
    }
}
