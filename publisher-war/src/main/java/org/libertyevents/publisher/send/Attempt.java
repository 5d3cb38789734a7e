package org.libertyevents.publisher.send;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.io.StringReader;
import java.time.temporal.ChronoUnit;

/**
 * One HTTP attempt, bounded by MicroProfile Fault Tolerance's {@code @Timeout}: a request that does not answer in
 * time is abandoned and retried by {@link BatchSender}, which may itself create duplicates the aggregator must
 * absorb.
 */
@ApplicationScoped
public class Attempt {

    /** The status, Retry-After and body of one answer. */
    record Answer(int status, long retryAfterSeconds, JsonObject body) {
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    public Answer publish(AggregatorClient client, String body, String prefer) {
        try (Response response = client.publish(body, prefer)) {
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonObject json = null;
            if (text.startsWith("{")) {
                try (var reader = Json.createReader(new StringReader(text))) {
                    json = reader.readObject();
                }
            }
            long retryAfter = parseRetryAfter(response.getHeaderString("Retry-After"));
            return new Answer(response.getStatus(), retryAfter, json);
        }
    }

    private static long parseRetryAfter(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return 1; // an HTTP date: wait a little rather than parse clocks
        }
    }
}
