package org.libertyevents.aggregator.subscription;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Standard Webhooks signatures: a secret is {@code whsec_} and the base64 of 24 to 64 random bytes; a delivery's
 * {@code webhook-signature} is {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body} under it, one
 * per secret (two while a rotated-out secret still signs), separated by spaces.
 */
public final class WebhookSignature {

    static final String PREFIX = "whsec_";
    private static final int GENERATED_BYTES = 32;
    private static final int MIN_BYTES = 24;
    private static final int MAX_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new random secret. */
    public static String generate() {
        byte[] key = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** What is wrong with a secret given by a client, or null if it is a valid one. */
    public static String check(String secret) {
        if (!secret.startsWith(PREFIX)) {
            return "must start with " + PREFIX + " followed by base64 (Standard Webhooks)";
        }
        byte[] key;
        try {
            key = key(secret);
        } catch (IllegalArgumentException e) {
            return "is not " + PREFIX + " followed by valid base64";
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            return "must hold " + MIN_BYTES + " to " + MAX_BYTES + " bytes of key (it holds " + key.length + ")";
        }
        return null;
    }

    /** The {@code webhook-signature} header of a message, signed with each of {@code secrets}. */
    public static String sign(String id, long timestamp, byte[] body, List<String> secrets) {
        return secrets.stream().map(secret -> "v1," + hmac(key(secret), id, timestamp, body))
                .collect(Collectors.joining(" "));
    }

    private static byte[] key(String secret) {
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    private static String hmac(byte[] key, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
