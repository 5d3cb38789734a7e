package org.libertyevents.aggregator.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerTopologyTest {

    @Test
    void seedNodesMakeItACluster() {
        assertTrue(new BrokerTopology(16, List.of("127.0.0.1:7001", "redis-2:7002"), 1, Duration.ofSeconds(1))
                .cluster());
        assertFalse(new BrokerTopology(16, List.of(), 0, Duration.ofSeconds(1)).cluster());
    }

    @Test
    void settingsOutsideTheirRangeAreRefused() {
        Duration wait = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new BrokerTopology(0, List.of(), 0, wait));
        assertThrows(IllegalArgumentException.class, () -> new BrokerTopology(1025, List.of(), 0, wait));
        assertThrows(IllegalArgumentException.class, () -> new BrokerTopology(16, List.of(), -1, wait));
        assertThrows(IllegalArgumentException.class, () -> new BrokerTopology(16, List.of("redis-1"), 1, wait));
        assertThrows(IllegalArgumentException.class, () -> new BrokerTopology(16, List.of("redis-1:port"), 1, wait));
    }
}
