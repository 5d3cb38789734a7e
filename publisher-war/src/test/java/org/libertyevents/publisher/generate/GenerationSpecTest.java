package org.libertyevents.publisher.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GenerationSpec: field validation and the duplicate/unique split. */
class GenerationSpecTest {

    private static final List<String> TOPICS = List.of("orders", "refunds");

    private static GenerationSpec spec(String runId, int count, double ratio, List<String> topics, int batchSize) {
        return new GenerationSpec(runId, count, ratio, topics, batchSize, 7L);
    }

    private static void assertRefused(String expectedMessagePart, Runnable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
        assertTrue(e.getMessage().contains(expectedMessagePart),
                () -> "message \"" + e.getMessage() + "\" should contain \"" + expectedMessagePart + "\"");
    }

    @Test
    void duplicateCountIsTheRoundedShareOfCount() {
        GenerationSpec spec = spec("r", 10, 0.25, TOPICS, 3);

        assertEquals(3, spec.duplicateCount());
        assertEquals(7, spec.uniqueCount());
    }

    @Test
    void roundingDownKeepsAllButTheRoundedDuplicatesUnique() {
        GenerationSpec spec = spec("r", 10, 0.24, TOPICS, 3);

        assertEquals(2, spec.duplicateCount());
        assertEquals(8, spec.uniqueCount());
    }

    @Test
    void zeroRatioMeansNoDuplicates() {
        GenerationSpec spec = spec("r", 5, 0.0, TOPICS, 1);

        assertEquals(0, spec.duplicateCount());
        assertEquals(5, spec.uniqueCount());
    }

    @Test
    void highRatioStillLeavesOneUniqueEvent() {
        GenerationSpec spec = spec("r", 10, 0.9, TOPICS, 1);

        assertEquals(9, spec.duplicateCount());
        assertEquals(1, spec.uniqueCount());
    }

    @Test
    void refusesRatioThatRoundsToEveryEvent() {
        assertRefused("duplicate_ratio leaves no unique events", () -> spec("r", 1, 0.5, TOPICS, 1));
        assertRefused("duplicate_ratio leaves no unique events", () -> spec("r", 10, 0.96, TOPICS, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void refusesCountBelowOne(int count) {
        assertRefused("count must be at least 1", () -> spec("r", count, 0.0, TOPICS, 1));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void refusesRatioOutsideZeroToOne(double ratio) {
        assertRefused("duplicate_ratio must be at least 0 and less than 1", () -> spec("r", 10, ratio, TOPICS, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void refusesBatchSizeBelowOne(int batchSize) {
        assertRefused("batch_size must be at least 1", () -> spec("r", 10, 0.0, TOPICS, batchSize));
    }

    @Test
    void refusesMissingOrEmptyTopics() {
        assertRefused("topics must not be empty", () -> spec("r", 10, 0.0, null, 1));
        assertRefused("topics must not be empty", () -> spec("r", 10, 0.0, List.of(), 1));
    }

    @Test
    void refusesBlankOrNullTopicName() {
        assertRefused("topics must not contain a blank name", () -> spec("r", 10, 0.0, List.of("a", " "), 1));
        assertRefused("topics must not contain a blank name", () -> spec("r", 10, 0.0, List.of(""), 1));
        assertRefused("topics must not contain a blank name",
                () -> spec("r", 10, 0.0, Arrays.asList("a", null), 1));
    }

    @Test
    void refusesBlankOrNullRunId() {
        assertRefused("run_id must not be blank", () -> spec(null, 10, 0.0, TOPICS, 1));
        assertRefused("run_id must not be blank", () -> spec("", 10, 0.0, TOPICS, 1));
        assertRefused("run_id must not be blank", () -> spec(" \t", 10, 0.0, TOPICS, 1));
    }

    @Test
    void topicsAreCopiedAndCannotBeModified() {
        List<String> topics = new ArrayList<>(TOPICS);
        GenerationSpec spec = spec("r", 10, 0.0, topics, 1);

        topics.add("late");

        assertEquals(TOPICS, spec.topics());
        assertThrows(UnsupportedOperationException.class, () -> spec.topics().add("x"));
    }
}
