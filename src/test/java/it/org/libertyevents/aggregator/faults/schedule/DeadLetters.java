package it.org.libertyevents.aggregator.faults.schedule;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import it.org.libertyevents.aggregator.support.ItRedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

import java.io.StringReader;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;

/**
 * The events in the dead-letter streams of a broker stream's partitions ({@code <partition>:dead}), read straight
 * from Redis: each entry's
 * {@code events} field holds them as the broker encodes entries, an array of {@code [topic, event_id, ...]} arrays.
 */
final class DeadLetters {

    private DeadLetters() {
    }

    /** The ids of the dead-lettered events of each of {@code topics} (a topic with none is left out). */
    static Map<String, Set<String>> of(String redisUrl, String stream, Set<String> topics) {
        Map<String, Set<String>> ids = new HashMap<>();
        List<StreamEntry> entries = new ArrayList<>();
        try (RedisClient redis = RedisClient.create(URI.create(redisUrl))) {
            for (String partition : ItRedis.partitions(redisUrl, stream)) {
                entries.addAll(redis.xrange(partition + ":dead", "-", "+"));
            }
            for (StreamEntry entry : entries) {
                String events = entry.getFields().get("events");
                if (events == null) {
                    continue;
                }
                try (JsonReader reader = Json.createReader(new StringReader(events))) {
                    for (JsonValue event : reader.readArray()) {
                        JsonArray fields = event.asJsonArray();
                        String topic = fields.getString(0);
                        if (topics.contains(topic)) {
                            ids.computeIfAbsent(topic, t -> new HashSet<>()).add(fields.getString(1));
                        }
                    }
                }
            }
        }
        return ids;
    }
}
