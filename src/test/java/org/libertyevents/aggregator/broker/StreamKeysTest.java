package org.libertyevents.aggregator.broker;

import org.junit.jupiter.api.Test;
import redis.clients.jedis.util.JedisClusterCRC16;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamKeysTest {

    @Test
    void everyKeyAScriptTouchesSharesItsPartitionsSlot() {
        for (int p = 0; p < 16; p++) {
            StreamKeys keys = StreamKeys.partition("aggregator-events", p);
            Set<Integer> slots = List.of(keys.stream(), keys.backlog(), keys.backlogBytes(), keys.dead(),
                    keys.deadCount(), keys.appendMarker("a client's key")).stream()
                    .map(JedisClusterCRC16::getSlot).collect(Collectors.toSet());
            assertEquals(1, slots.size(), "partition " + p + " spans slots " + slots);
        }
    }

    @Test
    void partitionsSpreadOverTheSlotsOfAThreeMasterCluster() {
        // Three masters own a third of the 16384 slots each: sixteen partitions must not all land on one.
        Set<Integer> thirds = IntStream.range(0, 16)
                .mapToObj(p -> JedisClusterCRC16.getSlot(StreamKeys.partition("aggregator-events", p).stream()) / 5462)
                .collect(Collectors.toSet());
        assertEquals(3, thirds.size(), "partitions by third of the slot range: " + thirds);
    }

    @Test
    void aPartitionIsNamedAfterItsStreamAndAMarkerAfterTheKeysDigest() {
        StreamKeys keys = StreamKeys.partition("events", 3);
        assertEquals("{events:3}", keys.stream());
        assertEquals("{events:3}:dead", keys.dead());
        String marker = keys.appendMarker("k".repeat(255));
        assertTrue(marker.matches("\\{events:3}:appended:[0-9a-f]{64}"), marker);
    }
}
