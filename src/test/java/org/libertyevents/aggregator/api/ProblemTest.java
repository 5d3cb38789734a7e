package org.libertyevents.aggregator.api;

import org.junit.jupiter.api.Test;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.intake.InvalidRequest;
import org.libertyevents.aggregator.intake.PublishRequestParser;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Problem.of(InvalidRequest): each way intake refuses a body, as the exact problem+json the client receives. */
class ProblemTest {

    private static final String TYPE = "urn:problem:liberty-event-aggregator:";

    private static String answer(PublishLimits limits, String body) {
        InvalidRequest refused = assertThrows(InvalidRequest.class, () -> new PublishRequestParser(limits)
                .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), Instant.EPOCH));
        return Problem.of(refused).toJson("/publish").toString();
    }

    private static PublishLimits limits(int maxBatchEvents, int maxReportedErrors) {
        return new PublishLimits(16_384, maxBatchEvents, 64, 3, 255, maxReportedErrors);
    }

    @Test
    void malformedBodyIs400MalformedJson() {
        assertEquals("{\"type\":\"" + TYPE + "malformed-json\",\"title\":\"Malformed JSON\",\"status\":400,"
                + "\"detail\":\"the request body is not valid JSON at line 1, column 0\",\"instance\":\"/publish\"}",
                answer(limits(5, 100), ""));
    }

    @Test
    void batchOverTheLimitIs413RequestTooLarge() {
        assertEquals("{\"type\":\"" + TYPE + "request-too-large\",\"title\":\"Request too large\",\"status\":413,"
                + "\"detail\":\"a batch holds at most 2 events\",\"instance\":\"/publish\"}",
                answer(limits(2, 100), "[{},{},{}]"));
    }

    @Test
    void oneInvalidFieldIs422NamingIt() {
        String body = "{\"topic\":\"o\",\"event_id\":\"e\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"source\":\"s\"}";
        assertEquals("{\"type\":\"" + TYPE + "invalid-events\",\"title\":\"Invalid events\",\"status\":422,"
                + "\"detail\":\"payload is required\",\"instance\":\"/publish\",\"errors\":[{\"pointer\":\"/payload\","
                + "\"field\":\"payload\",\"detail\":\"is required\"}]}", answer(limits(5, 100), body));
    }

    @Test
    void errorsPastTheReportedOnesAreCounted() {
        assertEquals("{\"type\":\"" + TYPE + "invalid-events\",\"title\":\"Invalid events\",\"status\":422,"
                + "\"detail\":\"5 problems were found; nothing of this request was stored\",\"instance\":\"/publish\","
                + "\"errors\":[{\"pointer\":\"/0/topic\",\"index\":0,\"field\":\"topic\",\"detail\":\"is required\"}],"
                + "\"errors_omitted\":4}", answer(limits(5, 1), "[{}]"));
    }

    @Test
    void bodyPastItsDeadlineIs408() {
        assertEquals("{\"type\":\"" + TYPE + "request-timeout\",\"title\":\"Request Timeout\",\"status\":408,"
                + "\"detail\":\"the request body did not arrive in time; nothing of this request was stored\"}",
                Problem.of(InvalidRequest.timedOut()).toJson(null).toString());
    }
}
