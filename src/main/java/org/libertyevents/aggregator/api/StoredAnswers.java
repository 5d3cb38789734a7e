package org.libertyevents.aggregator.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.libertyevents.aggregator.store.IdempotencyStore.StoredResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Answers as an Idempotency-Key keeps them, and back: status, content type, the headers worth replaying, body. */
final class StoredAnswers {

    static final String REPLAYED = "Idempotent-Replayed";
    /** Response headers worth replaying besides Content-Type. */
    private static final List<String> KEPT_HEADERS = List.of("Preference-Applied");

    private StoredAnswers() {
    }

    /** The answer with its body written out as text, ready to be both kept and sent. */
    static Response materialize(Response answer) {
        Object entity = answer.getEntity();
        String text;
        if (entity instanceof StreamingOutput output) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                output.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            text = bytes.toString(StandardCharsets.UTF_8);
        } else {
            text = entity == null ? "" : entity.toString();
        }
        Response.ResponseBuilder copy = Response.status(answer.getStatus()).entity(text);
        answer.getStringHeaders().forEach((name, values) -> values.forEach(value -> copy.header(name, value)));
        return copy.build();
    }

    /** What is kept of an answer {@link #materialize materialized} before. */
    static StoredResponse stored(Response materialized) {
        return new StoredResponse(materialized.getStatus(),
                materialized.getMediaType() == null ? null : materialized.getMediaType().toString(),
                keptHeaders(materialized), (String) materialized.getEntity());
    }

    /** A kept answer as sent again, marked {@value #REPLAYED}. */
    static Response replay(StoredResponse stored) {
        Response.ResponseBuilder replay = Response.status(stored.status()).entity(stored.body())
                .header(REPLAYED, "true");
        if (stored.contentType() != null) {
            replay.type(stored.contentType());
        }
        if (stored.headers() != null) {
            stored.headers().lines().filter(line -> line.contains(": ")).forEach(line ->
                    replay.header(line.substring(0, line.indexOf(": ")), line.substring(line.indexOf(": ") + 2)));
        }
        return replay.build();
    }

    private static String keptHeaders(Response response) {
        StringBuilder kept = new StringBuilder();
        for (String name : KEPT_HEADERS) {
            String value = response.getHeaderString(name);
            if (value != null) {
                kept.append(name).append(": ").append(value).append('\n');
            }
        }
        return kept.toString();
    }
}
