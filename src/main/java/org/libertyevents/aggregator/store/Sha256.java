package org.libertyevents.aggregator.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fresh SHA-256 digests for the two hashes of every event (its key's, its payload's), cloned from one instance:
 * {@link MessageDigest#getInstance} looks the provider up again on each call, which costs more than hashing an event.
 */
final class Sha256 {

    private static final MessageDigest PROTOTYPE;

    static {
        try {
            PROTOTYPE = MessageDigest.getInstance("SHA-256");
            PROTOTYPE.clone();
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("checked when the class was loaded", e);
        }
    }
}
