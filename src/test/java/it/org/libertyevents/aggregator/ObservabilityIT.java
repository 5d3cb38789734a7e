package it.org.libertyevents.aggregator;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.ItDatabase;
import it.org.libertyevents.aggregator.support.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;


import static it.org.libertyevents.aggregator.support.Api.event;
import static it.org.libertyevents.aggregator.support.Api.freshTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Health, Prometheus metrics and OpenAPI are served without a login. */
@MicroShedTest
class ObservabilityIT {

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @Test
    void healthReportsEachCheck() {
        Reply ready = Api.get("/health/ready");
        assertEquals(200, ready.status());
        assertEquals("UP", ready.json().getString("status"));
        String checks = ready.array("checks").toString();
        assertTrue(checks.contains("\"database\"") && checks.contains("\"ingest-queue\""), checks);
        // Proves which database this suite runs on.
        String dialect = ItDatabase.isPostgres() ? "POSTGRESQL" : "H2";
        assertTrue(checks.contains("\"dialect\":\"" + dialect + "\""), checks);
        assertEquals(200, Api.get("/health/live").status());
        assertEquals(200, Api.get("/health/started").status());
    }

    @Test
    void metricsAreScrapeableAndCount() {
        Api.publish(event(freshTopic("metrics"), "m").toString());
        String metrics = text("/metrics");
        for (String name : new String[] {"aggregator_events_received_total", "aggregator_events_stored_total",
                "aggregator_commit_latency_seconds", "aggregator_publish_latency_seconds",
                "aggregator_ingest_pending"}) {
            assertTrue(metrics.contains(name), name + " missing from /metrics");
        }
    }

    /** Liberty's per-request vendor metrics cost CPU on every publish: only the pool components are monitored. */
    @Test
    void libertyMonitorsItsPoolsNotEachRequest() {
        Api.publish(event(freshTopic("monitor"), "m").toString());
        String metrics = text("/metrics");
        assertTrue(metrics.contains("threadpool_"), "Liberty's thread pool metrics missing from /metrics");
        for (String perRequest : new String[] {"http_server_request_duration_seconds", "REST_request",
                "servlet_request"}) {
            assertFalse(metrics.contains(perRequest), perRequest + " in /metrics: per-request monitoring is on");
        }
    }

    @Test
    void openApiDescribesThePublishEndpoint() {
        assertTrue(text("/openapi").contains("/publish"));
    }

    private static String text(String path) {
        return Api.text(Api.baseUrl(), path);
    }
}
