package org.libertyevents.aggregator.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The configured API keys ({@code API_KEYS}, comma-separated; blanks and empty entries are ignored) and what they
 * protect. With no usable key, publishing and reads are open to anyone who reaches the service: that is said at
 * start, in readiness and in {@code /stats}, so that nobody runs it that way without knowing. With keys, publishing
 * needs one and so do reads unless {@code API_KEYS_PROTECT_READS} is false.
 */
@ApplicationScoped
public class ApiKeys {

    public static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";
    private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());

    /** What a kind of request needs, as readiness and {@code /stats} report it. */
    public enum Access {
        OPEN, API_KEY;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Inject
    @ConfigProperty(name = "api.keys")
    private Optional<String> configured;

    @Inject
    @ConfigProperty(name = "api.keys.protect.reads", defaultValue = "true")
    private boolean protectReads;

    private List<byte[]> keys;

    @PostConstruct
    void init() {
        keys = parse(configured.orElse(""));
    }

    /** Created with the application, so that an open service is reported in the log when it starts. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
        if (keys.isEmpty()) {
            LOG.warning("API_KEYS is not set (or holds no key): anyone who can reach this service can publish and "
                    + "read events. Set API_KEYS to require a key; see docs/security.md.");
        } else if (!protectReads) {
            LOG.warning("API_KEYS_PROTECT_READS is false: events, counters and conflicts can be read without a key.");
        }
    }

    public Access publishing() {
        return keys.isEmpty() ? Access.OPEN : Access.API_KEY;
    }

    public Access reads() {
        return keys.isEmpty() || !protectReads ? Access.OPEN : Access.API_KEY;
    }

    /** True when {@code presented} (see {@link #presented}) is one of the configured keys; constant time per key. */
    public boolean accepts(byte[] presented) {
        return presented != null && keys.stream().anyMatch(key -> MessageDigest.isEqual(key, presented));
    }

    /**
     * Whose request this is, for scoping what one client names (its Idempotency-Keys) away from another's: empty
     * when no keys are configured, otherwise a digest of the key presented, never the key itself. A client that
     * changes its key starts a new scope.
     */
    public String scope(String authorization, String apiKeyHeader) {
        byte[] presented = presented(authorization, apiKeyHeader);
        if (keys.isEmpty() || presented == null) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(presented);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The key a request presents as {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}, or null. */
    public static byte[] presented(String authorization, String apiKeyHeader) {
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        }
        return apiKeyHeader == null ? null : apiKeyHeader.strip().getBytes(StandardCharsets.UTF_8);
    }

    /** The usable keys of an {@code API_KEYS} value: blanks and empty entries are no keys. */
    static List<byte[]> parse(String configured) {
        return Arrays.stream(configured.split(",")).map(String::strip).filter(key -> !key.isEmpty())
                .map(key -> key.getBytes(StandardCharsets.UTF_8)).toList();
    }
}
