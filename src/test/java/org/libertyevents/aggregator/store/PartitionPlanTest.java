package org.libertyevents.aggregator.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionPlanTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static final Instant NOW = Instant.parse("2026-12-02T19:30:00Z");

    @Test
    void partitionsGoOnFromTheLastOneOnDayBoundariesUntilAheadIsCovered() {
        List<PayloadPartition> existing = List.of(new PayloadPartition("events_v9", null,
                Instant.parse("2026-12-02T19:00:01Z")));

        List<PayloadPartition> created = PartitionPlan.toCreate(existing, NOW, DAY, DAY.multipliedBy(2),
                Instant.MIN);

        assertEquals(List.of(
                PayloadPartition.starting(Instant.parse("2026-12-02T19:00:01Z"), Instant.parse("2026-12-03T00:00:00Z")),
                PayloadPartition.starting(Instant.parse("2026-12-03T00:00:00Z"), Instant.parse("2026-12-04T00:00:00Z")),
                PayloadPartition.starting(Instant.parse("2026-12-04T00:00:00Z"), Instant.parse("2026-12-05T00:00:00Z"))),
                created);
        assertEquals("events_20261203_000000", created.get(1).name());
    }

    @Test
    void nothingIsCreatedWhileThePartitionsReachFarEnough() {
        List<PayloadPartition> existing = List.of(PayloadPartition.starting(Instant.parse("2026-12-02T00:00:00Z"),
                Instant.parse("2026-12-05T00:00:00Z")));

        assertEquals(List.of(), PartitionPlan.toCreate(existing, NOW, DAY, DAY.multipliedBy(2), Instant.MIN));
    }

    @Test
    void afterARefusalNewPartitionsStartAtTheGivenBoundaryLeavingTheGapToTheDefaultPartition() {
        List<PayloadPartition> existing = List.of(PayloadPartition.starting(Instant.parse("2026-11-20T00:00:00Z"),
                Instant.parse("2026-11-21T00:00:00Z")));

        List<PayloadPartition> created = PartitionPlan.toCreate(existing, NOW, DAY, DAY,
                PartitionPlan.boundaryAfter(NOW, DAY));

        assertEquals(Instant.parse("2026-12-03T00:00:00Z"), created.get(0).from());
        assertTrue(created.get(created.size() - 1).to().isAfter(NOW.plus(DAY)) || created.get(created.size() - 1)
                .to().equals(NOW.plus(DAY)));
    }

    @Test
    void creationIsBoundedPerPass() {
        assertEquals(PartitionPlan.MAX_CREATED, PartitionPlan.toCreate(List.of(), NOW, Duration.ofSeconds(1),
                DAY, Instant.MIN).size());
    }

    @Test
    void onlyPartitionsWhoseWholeRangeExpiredAreDroppedOldestFirst() {
        PayloadPartition legacy = new PayloadPartition("events_v9", null, Instant.parse("2026-11-01T10:00:00Z"));
        PayloadPartition expired = PayloadPartition.starting(Instant.parse("2026-11-01T10:00:00Z"),
                Instant.parse("2026-11-02T00:00:00Z"));
        PayloadPartition straddling = PayloadPartition.starting(Instant.parse("2026-11-02T00:00:00Z"),
                Instant.parse("2026-11-03T00:00:00Z"));
        List<PayloadPartition> existing = List.of(straddling, expired, legacy);

        assertEquals(List.of(legacy, expired),
                PartitionPlan.toDrop(existing, NOW, Optional.of(Duration.ofDays(30))));
        assertEquals(List.of(), PartitionPlan.toDrop(existing, NOW, Optional.empty()), "no retention, no drop");
    }
}
