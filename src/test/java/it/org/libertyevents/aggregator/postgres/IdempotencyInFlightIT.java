package it.org.libertyevents.aggregator.postgres;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request with an Idempotency-Key still in flight (its commit held up by a table lock the test takes) makes a
 * second one with the same key get 409 with Retry-After; once the first commits, the key replays its answer.
 * PostgreSQL suite only: the embedded database is the server's own file.
 */
@MicroShedTest
class IdempotencyInFlightIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void aSecondRequestWhileTheFirstIsInFlightGets409() throws Exception {
        String body = Api.batch(event(freshTopic("in-flight"), "1"));
        Map<String, String> key = Map.of("Idempotency-Key", "\"" + UUID.randomUUID() + "\"");
        CompletableFuture<Reply> first;
        AutoCloseable commitsBlocked = ItDatabase.lockTable("topic_stats");
        try {
            first = CompletableFuture.supplyAsync(() -> Api.publishWithHeaders("application/json", body, key));
            Reply second = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Api.publishWithHeaders("application/json", body, key), reply -> reply.status() == 409);
            assertTrue(second.headers().firstValue("Retry-After").isPresent());
            assertEquals("urn:problem:liberty-event-aggregator:idempotency-key-in-flight",
                    second.json().getString("type"));
        } finally {
            commitsBlocked.close();
        }
        assertEquals(200, first.get().status());
        Reply third = Api.publishWithHeaders("application/json", body, key);
        assertEquals("true", third.headers().firstValue("Idempotent-Replayed").orElse(""));
    }
}
