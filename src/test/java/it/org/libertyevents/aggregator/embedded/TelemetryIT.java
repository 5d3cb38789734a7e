package it.org.libertyevents.aggregator.embedded;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * MicroProfile Telemetry on an instance of the test's own, with OpenTelemetry's logging exporter, which writes each
 * finished span to the server's log: with only {@code OTEL_TRACES_EXPORTER} set nothing is traced (the SDK is off by
 * default); with {@code OTEL_SDK_DISABLED=false} a publish makes the JAX-RS server span and the commit span, both in
 * the trace of the request's {@code traceparent}. The oracle is the trace id the test sent, looked for in the log
 * (after a graceful stop, when nothing can still be on its way there). One suite runs it: nothing here depends on
 * the database.
 */
@MicroShedTest
class TelemetryIT {

    private static final int INSTANCE = 75;
    private static final Map<String, String> LOGGING_EXPORTER = Map.of("OTEL_TRACES_EXPORTER", "logging",
            "OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none", "OTEL_SERVICE_NAME", "aggregator-it");
    private static final Random RANDOM = new Random();

    @BeforeAll
    static void ready() {
        Api.awaitReady();
    }

    @AfterAll
    static void stop() {
        Instances.stop(INSTANCE);
    }

    private static String randomHex(int bytes) {
        byte[] id = new byte[bytes];
        RANDOM.nextBytes(id);
        id[0] |= 1; // never all zero
        return HexFormat.of().formatHex(id);
    }

    /** Publishes one event to {@code base} in a fresh sampled trace; returns the trace id. */
    private static String publishTraced(String base) {
        String traceId = randomHex(16);
        String topic = Api.freshTopic("telemetry");
        Reply reply = Api.publishWithHeadersTo(base, "application/json", Api.event(topic, "t").toString(),
                Map.of("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01"));
        assertEquals(200, reply.status(), reply.brief());
        return traceId;
    }

    /** Every line of the instance's logs, the rotated ones included, that names {@code traceId}. */
    private static List<String> linesNaming(String traceId) {
        try (Stream<Path> files = Files.list(Instances.logs(INSTANCE))) {
            return files.filter(file -> file.getFileName().toString().startsWith("messages"))
                    .flatMap(file -> {
                        try {
                            return Files.readAllLines(file, StandardCharsets.UTF_8).stream();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .filter(line -> line.contains(traceId)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void tracingIsOffUntilTheSdkIsEnabledThenAPublishIsTracedInTheRequestsTrace() {
        String untraced = publishTraced(Instances.start(INSTANCE, LOGGING_EXPORTER));
        Instances.stop(INSTANCE);
        assertEquals(List.of(), linesNaming(untraced), "no span while OTEL_SDK_DISABLED is not false");

        Map<String, String> enabled = new HashMap<>(LOGGING_EXPORTER);
        enabled.put("OTEL_SDK_DISABLED", "false");
        String traced = publishTraced(Instances.start(INSTANCE, enabled));
        // The logging exporter writes a span as "'<name>' : <trace id> <span id> <kind> ...".
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> spans = linesNaming(traced);
            assertFalse(spans.stream().noneMatch(line -> line.contains("'aggregator.commit' : " + traced)),
                    "the commit span: " + spans);
            assertFalse(spans.stream().noneMatch(line -> line.contains(" : " + traced) && line.contains("SERVER")),
                    "the HTTP server span: " + spans);
        });
        assertEquals(List.of(), linesNaming(untraced), "the earlier, untraced publish stays untraced");
    }
}
