package org.libertyevents.aggregator.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.libertyevents.aggregator.config.IngestSettings;
import org.libertyevents.aggregator.config.PublishLimits;
import org.libertyevents.aggregator.intake.BodyDeadlineExceededException;
import org.libertyevents.aggregator.store.IdempotencyStore;
import org.libertyevents.aggregator.store.IdempotencyStore.Claim;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code Idempotency-Key} on {@code POST /publish}, after the IETF HTTP APIs draft: the first request with a key
 * runs and its response is kept (in the database, for {@code IDEMPOTENCY_TTL_HOURS}); the same request again gets
 * that response replayed with {@code Idempotent-Replayed: true}; another request with the same key gets 422; a
 * request while the first is still in flight gets 409. The answer of committed events is kept by their own
 * transaction ({@link KeyedReply#keyed}), so a 5xx the client got while they still committed is followed by a
 * replay of what they got; a key is freed, for a retry to run afresh, only once nothing of its request can commit.
 * Requests are the same when their body, {@code Content-Type}, {@code Prefer} and {@code ce-*} headers are.
 */
@ApplicationScoped
public class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    private static final String INSTANCE = "/publish";
    private static final int MAX_KEY_LENGTH = 255;
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
     * @param work reads the events from the body it is given and answers through the reply it is given
     */
    void handle(String rawKey, String scope, HttpHeaders headers, InputStream body, AsyncResponse response,
                BiConsumer<InputStream, PublishReply> work) {
        String key = scoped(scope, parseKey(rawKey));
        byte[] bytes = readBody(body);
        String fingerprint = fingerprint(headers, bytes);
        Claim claim;
        try {
            // A commit may take the publish timeout; an owner silent for twice that has died with its instance.
            claim = store.claim(key, fingerprint, Duration.ofHours(ttlHours),
                    settings.publishTimeout().multipliedBy(2));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Idempotency key store unavailable", e);
            response.resume(Problem.unavailable("store-unavailable", "Store unavailable",
                    "idempotency keys cannot be checked now; nothing of this request was stored",
                    settings.retryAfter()).toResponse(INSTANCE));
            return;
        }
        if (claim instanceof Claim.Claimed) {
            KeyedReply reply = new KeyedReply(store, key, fingerprint, Duration.ofHours(ttlHours), response::resume);
            work.accept(new ByteArrayInputStream(bytes), reply);
        } else if (claim instanceof Claim.Replay replay) {
            response.resume(StoredAnswers.replay(replay.response()));
        } else if (claim instanceof Claim.Mismatch) {
            response.resume(reused());
        } else {
            response.resume(inFlight());
        }
    }

    /** 422: the key was used for another request. */
    Response reused() {
        return Problem.of("idempotency-key-reused", "Idempotency key reused", 422,
                "this Idempotency-Key was used for a different request").toResponse(INSTANCE);
    }

    /** 409 with {@code Retry-After}: another request holds the key; a retry gets its answer once it has one. */
    Response inFlight() {
        Response inFlight = Problem.of("idempotency-key-in-flight", "Request in progress", 409,
                "the first request with this Idempotency-Key is still being processed").toResponse(INSTANCE);
        return Response.fromResponse(inFlight)
                .header("Retry-After", Math.max(1, settings.retryAfter().toSeconds())).build();
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
        } catch (BodyDeadlineExceededException e) {
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
