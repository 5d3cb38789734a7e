package org.libertyevents.aggregator.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.libertyevents.aggregator.config.IngestSettings;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.store.IdempotencyStore;
import org.libertyevents.aggregator.store.IdempotencyStore.Claim;
import org.libertyevents.aggregator.store.IdempotencyStore.StoredResponse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code Idempotency-Key} on {@code POST /publish}, after the IETF HTTP APIs draft: the first request with a key
 * runs and its response is kept (in the database, for {@code IDEMPOTENCY_TTL_HOURS}); the same request again gets
 * that response replayed with {@code Idempotent-Replayed: true}; another request with the same key gets 422; a
 * request while the first is still in flight gets 409. A 5xx answer is not kept, so that a retry runs afresh.
 * Requests are the same when their body, {@code Content-Type}, {@code Prefer} and {@code ce-*} headers are.
 */
@ApplicationScoped
public class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    private static final String INSTANCE = "/publish";
    private static final int MAX_KEY_LENGTH = 255;
    /** Response headers worth replaying besides Content-Type. */
    private static final List<String> KEPT_HEADERS = List.of("Preference-Applied");
    private static final Logger LOG = Logger.getLogger(IdempotencyKeys.class.getName());

    @EJB
    private IdempotencyStore store;

    @Inject
    private PublishLimits limits;

    @Inject
    private IngestSettings settings;

    @Inject
    @ConfigProperty(name = "idempotency.ttl.hours", defaultValue = "24")
    private long ttlHours;

    /**
     * Runs {@code work} once per key and request, or answers for it.
     *
     * @param scope whose key it is ({@link ApiKeys#scope}): one client's keys never meet another's
     * @param work reads the events from the body it is given and answers through the consumer it is given
     */
    void handle(String rawKey, String scope, HttpHeaders headers, InputStream body, AsyncResponse response,
                BiConsumer<InputStream, Consumer<Response>> work) {
        String key = scoped(scope, parseKey(rawKey));
        byte[] bytes = readBody(body);
        Claim claim;
        try {
            // A commit may take the publish timeout; an owner silent for twice that has died with its instance.
            claim = store.claim(key, fingerprint(headers, bytes), Duration.ofHours(ttlHours),
                    settings.publishTimeout().multipliedBy(2));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Idempotency key store unavailable", e);
            response.resume(Problem.unavailable("store-unavailable", "Store unavailable",
                    "idempotency keys cannot be checked now; nothing of this request was stored",
                    settings.retryAfter()).toResponse(INSTANCE));
            return;
        }
        if (claim instanceof Claim.Claimed) {
            work.accept(new ByteArrayInputStream(bytes), answer -> response.resume(record(key, answer)));
        } else if (claim instanceof Claim.Replay replay) {
            response.resume(replay(replay.response()));
        } else if (claim instanceof Claim.Mismatch) {
            response.resume(Problem.of("idempotency-key-reused", "Idempotency key reused", 422,
                    "this Idempotency-Key was used for a different request").toResponse(INSTANCE));
        } else {
            Response inFlight = Problem.of("idempotency-key-in-flight", "Request in progress", 409,
                    "the first request with this Idempotency-Key is still being processed").toResponse(INSTANCE);
            response.resume(Response.fromResponse(inFlight)
                    .header("Retry-After", Math.max(1, settings.retryAfter().toSeconds())).build());
        }
    }

    /** Keeps a 2xx or 4xx answer for replay, frees the key after a 5xx, and returns the answer to send. */
    private Response record(String key, Response answer) {
        Response materialized = materialize(answer);
        try {
            if (materialized.getStatus() >= 500) {
                store.release(key);
            } else {
                store.complete(key, new StoredResponse(materialized.getStatus(),
                        materialized.getMediaType() == null ? null : materialized.getMediaType().toString(),
                        keptHeaders(materialized), (String) materialized.getEntity()));
            }
        } catch (RuntimeException e) {
            // The answer still goes out; a retry finds the key in flight until it counts as abandoned.
            LOG.log(Level.WARNING, "Could not record the answer for idempotency key " + key, e);
        }
        return materialized;
    }

    private static Response materialize(Response answer) {
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

    private static Response replay(StoredResponse stored) {
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

    /** The key as the draft sends it, a Structured Field string ({@code "abc"}); a bare token is taken too. */
    static String parseKey(String raw) {
        String key = raw.strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        boolean printable = key.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !printable) {
            throw new ProblemException(Problem.invalidHeader(HEADER, "must be 1 to " + MAX_KEY_LENGTH
                    + " printable ASCII characters, sent as a quoted string"));
        }
        return key;
    }

    /** The key as stored: unscoped keys as sent, so that keys stored before API keys were set keep working. */
    static String scoped(String scope, String key) {
        return scope.isEmpty() ? key : scope + "/" + key;
    }

    private byte[] readBody(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(Math.toIntExact(Math.min(Integer.MAX_VALUE - 8, limits.maxBodyBytes() + 1)));
            if (bytes.length > limits.maxBodyBytes()) {
                throw new ProblemException(Problem.tooLarge(
                        "the request body is larger than " + limits.maxBodyBytes() + " bytes"));
            }
            return bytes;
        } catch (BodyDeadlineFilter.DeadlineExceededException e) {
            throw new ProblemException(BodyDeadlineFilter.problem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What makes two requests the same one: the body and the headers that change how it is read or answered. */
    static String fingerprint(HttpHeaders headers, byte[] body) {
        Map<String, String> relevant = new TreeMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type") || lower.equals("prefer") || lower.startsWith("ce-")) {
                relevant.put(lower, String.join(",", values));
            }
        });
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            relevant.forEach((name, value) ->
                    digest.update((name + ":" + value + "\n").getBytes(StandardCharsets.UTF_8)));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
