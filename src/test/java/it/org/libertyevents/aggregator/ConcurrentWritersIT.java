package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Ledger;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.StoredRows;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microshed.testing.jupiter.MicroShedTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent publishes of the same and of overlapping events, against the suite's server and against an instance
 * with {@code INGEST_WRITERS=4} and {@code INGEST_MAX_GROUP_EVENTS=1}. The suite's server runs one writer, whose
 * groups settle a race in memory ({@code GroupPlan}); on the instance every request is a transaction of its own and
 * four of them run at once, so a race is settled by the database: the unique constraint on
 * {@code (topic, event_id)} and the counter rows, created by whichever transaction comes first. Every request must
 * be answered 200, each id stored once with one {@code stored} verdict, and the counters must match the clients'
 * {@link Ledger}. The instance is number 15 in the H2 suite (an embedded database of its own) and 16 in the
 * PostgreSQL suite (the suite's database).
 */
@MicroShedTest
class ConcurrentWritersIT {

    private static final int INSTANCE = ItDatabase.isPostgres() ? 16 : 15;
    private static final int ROUNDS = 10;
    private static final int CLIENTS = 16;
    private static String fourWriters;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        // A short conflict list, so that concurrent conflicting commits also prune it at once.
        fourWriters = Instances.start(INSTANCE, Map.of("INGEST_WRITERS", "4", "INGEST_MAX_GROUP_EVENTS", "1",
                "CONFLICTS_KEPT", "10", "BROKER_STREAM", "it-writers-" + UUID.randomUUID()));
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("1 writer", Api.baseUrl()), Arguments.of("4 writers", fourWriters));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void fiftyConcurrentIdenticalPublishesStoreExactlyOne(String server, String base) throws Exception {
        Ledger ledger = new Ledger();
        for (int round = 0; round < ROUNDS; round++) {
            String body = event(freshTopic("race"), "contended").toString();
            List<Reply> replies = concurrently(50, i -> () -> ledger.publish(base, body, false));

            Map<String, Long> statuses = statuses(replies);
            assertEquals(Map.of("stored", 1L, "duplicate", 49L), statuses, server + ", round " + round);
        }
        ledger.assertMatches(base);
    }

    /**
     * Each round, fresh topics that no counter row exists for yet, and {@value #CLIENTS} clients at once, each with
     * one batch holding a window of ids of every topic, overlapping the next client's by three quarters.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void overlappingBatchesOfNewTopicsAreStoredAndCountedOnce(String server, String base) throws Exception {
        Ledger ledger = new Ledger();
        for (int round = 0; round < ROUNDS; round++) {
            List<String> topics = List.of(freshTopic("overlap-a"), freshTopic("overlap-b"), freshTopic("overlap-c"));
            List<Reply> replies = concurrently(CLIENTS, client -> () -> {
                JsonArrayBuilder batch = Json.createArrayBuilder();
                for (int id = client * 5; id < client * 5 + 20; id++) {
                    for (String topic : topics) {
                        batch.add(event(topic, "e" + id));
                    }
                }
                return ledger.publish(base, batch.build().toString(), false);
            });

            long ids = (CLIENTS - 1) * 5L + 20;
            assertEquals(topics.size() * ids, statuses(replies).get("stored"), "one stored verdict per id");
        }
        ledger.assertMatches(base);
    }

    /** The same ids at once, every other client sending them in the opposite order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void theSameIdsInOppositeOrdersAreStoredAndCountedOnce(String server, String base) throws Exception {
        Ledger ledger = new Ledger();
        for (int round = 0; round < ROUNDS; round++) {
            String topic = freshTopic("opposite");
            List<Reply> replies = concurrently(CLIENTS, client -> () -> {
                JsonArrayBuilder batch = Json.createArrayBuilder();
                for (int i = 0; i < 20; i++) {
                    batch.add(event(topic, "e" + (client % 2 == 0 ? i : 19 - i)));
                }
                return ledger.publish(base, batch.build().toString(), false);
            });

            assertEquals(20, statuses(replies).get("stored"), "one stored verdict per id");
        }
        ledger.assertMatches(base);
    }

    /**
     * One id published at once with three payloads: one copy is stored, and every other copy is a duplicate when its
     * payload is the stored one and a conflict otherwise, in its verdict and in the counters.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void concurrentCopiesWithOtherPayloadsAreConflicts(String server, String base) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String topic = freshTopic("race-payloads");
            List<Reply> replies = concurrently(30, i -> () -> Api.publishTo(base, copy(topic, i % 3).toString(),
                    false));

            int stored = Api.getFrom(base, "/events/" + Api.encode(topic) + "/contended").json()
                    .getJsonObject("payload").getInt("variant");
            Map<String, Long> expected = new TreeMap<>(Map.of("stored", 1L, "duplicate", 9L, "conflict", 20L));
            Map<String, Long> verdicts = new TreeMap<>();
            for (int i = 0; i < replies.size(); i++) {
                String status = status(replies.get(i));
                verdicts.merge(status, 1L, Long::sum);
                if (!status.equals("stored")) {
                    assertEquals(i % 3 == stored ? "duplicate" : "conflict", status, server + ", copy " + i);
                }
            }
            assertEquals(expected, verdicts, server + ", round " + round);
            assertEquals(new Ledger.Counters(1, 29, 20), Ledger.Counters.at(base, topic),
                    server + ": 29 repeats, 20 of them conflicts");
            long[] rows = StoredRows.of(base, topic);
            assertEquals(1, rows[0], server + ": rows of " + topic);
        }
    }

    private static JsonObject copy(String topic, int variant) {
        return Json.createObjectBuilder(event(topic, "contended"))
                .add("payload", Json.createObjectBuilder().add("variant", variant)).build();
    }

    /** Runs {@code count} requests at once, each from a thread of its own, and returns their answers in order. */
    private static List<Reply> concurrently(int count, IntFunction<Callable<Reply>> request)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(count);
        try {
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(clients.submit(request.apply(i)));
            }
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                Reply reply = future.get(120, TimeUnit.SECONDS);
                assertEquals(200, reply.status(), reply::brief);
                replies.add(reply);
            }
            return replies;
        } finally {
            clients.shutdownNow();
        }
    }

    /** How many verdicts of each status the answers hold. */
    private static Map<String, Long> statuses(List<Reply> replies) {
        Map<String, Long> statuses = new TreeMap<>();
        for (Reply reply : replies) {
            reply.array("results").forEach(result -> statuses.merge(result.asJsonObject().getString("status"), 1L,
                    Long::sum));
        }
        assertTrue(statuses.keySet().stream().allMatch(List.of("stored", "duplicate", "conflict")::contains),
                statuses.toString());
        return statuses;
    }

    private static String status(Reply reply) {
        return reply.array("results").getJsonObject(0).getString("status");
    }
}
