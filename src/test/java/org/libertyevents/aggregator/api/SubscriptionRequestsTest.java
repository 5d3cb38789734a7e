package org.libertyevents.aggregator.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.libertyevents.aggregator.intake.FieldError;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.Subscription;
import org.libertyevents.aggregator.subscription.NewSubscription;
import org.libertyevents.aggregator.subscription.SubscriptionChange;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriptionRequestsTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void readsASubscriptionWithItsDefaults() {
        NewSubscription made = SubscriptionRequests.create("{\"url\":\"https://example.com/hook\"}", true);
        assertEquals("https://example.com/hook", made.url());
        assertNull(made.topics(), "every topic");
        assertNull(made.secret(), "generated");
        assertEquals(1, made.batchSize());
        assertFalse(made.fromNow());
        assertEquals(Subscription.Exhausted.DEAD_LETTER, made.onExhausted());
    }

    @Test
    void readsEveryMember() {
        NewSubscription made = SubscriptionRequests.create("{\"url\":\"http://example.com/h\",\"topics\":[\"a\",\"b\","
                + "\"a\"],\"secret\":\"" + SECRET + "\",\"batch_size\":100,\"from\":\"now\","
                + "\"on_exhausted\":\"pause\"}", true);
        assertEquals(List.of("a", "b"), made.topics(), "repeats dropped, order kept");
        assertEquals(SECRET, made.secret());
        assertEquals(100, made.batchSize());
        assertTrue(made.fromNow());
        assertEquals(Subscription.Exhausted.PAUSE, made.onExhausted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"url\":\"ftp://example.com\"}", "{\"url\":7}",
            "{\"url\":\"http://example.com\",\"topics\":\"a\"}", "{\"url\":\"http://example.com\",\"topics\":[1]}",
            "{\"url\":\"http://example.com\",\"topics\":[\" \"]}", "{\"url\":\"http://example.com\",\"batch_size\":1001}",
            "{\"url\":\"http://example.com\",\"batch_size\":1.5}", "{\"url\":\"http://example.com\",\"secret\":\"x\"}",
            "{\"url\":\"http://example.com\",\"on_exhausted\":\"drop\"}", "{\"url\":\"http://example.com\",\"x\":1}"})
    void refusesWithA422(String body) {
        ProblemException refused = assertThrows(ProblemException.class, () -> SubscriptionRequests.create(body, true));
        assertEquals(422, refused.problem().status(), body);
        assertEquals("invalid-subscription", refused.problem().slug());
    }

    @Test
    void listsEveryProblemAtOnce() {
        ProblemException refused = assertThrows(ProblemException.class, () -> SubscriptionRequests.create(
                "{\"url\":\"gopher://x\",\"batch_size\":0,\"from\":\"later\",\"extra\":true}", true));
        assertEquals(List.of("extra", "url", "batch_size", "from"),
                refused.problem().errors().stream().map(FieldError::field).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{\"url\":", "\"text\""})
    void refusesWhatIsNotAJsonObjectWithA400(String body) {
        ProblemException refused = assertThrows(ProblemException.class, () -> SubscriptionRequests.create(body, true));
        assertEquals(400, refused.problem().status(), body);
    }

    @Test
    void readsABodyUpToItsLimitAndNoFurther() {
        byte[] limit = ("{\"url\":\"http://example.com/" + "a".repeat(SmallBodies.MAX_BODY_BYTES - 29)
                + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(SmallBodies.MAX_BODY_BYTES, limit.length);
        assertEquals(new String(limit, StandardCharsets.UTF_8),
                SmallBodies.read(new ByteArrayInputStream(limit)));
        CountingStream endless = new CountingStream();
        ProblemException refused = assertThrows(ProblemException.class, () -> SmallBodies.read(endless));
        assertEquals(413, refused.problem().status());
        assertEquals(SmallBodies.MAX_BODY_BYTES + 1, endless.read, "read no further than the limit");
        ProblemException notUtf8 = assertThrows(ProblemException.class,
                () -> SmallBodies.read(new ByteArrayInputStream(new byte[] {'{', (byte) 0xC3, '}'})));
        assertEquals(400, notUtf8.problem().status());
    }

    /** A body without end, counting what was read of it. */
    private static final class CountingStream extends InputStream {
        long read;

        @Override
        public int read() {
            read++;
            return ' ';
        }
    }

    @Test
    void aChangeLeavesWhatItDoesNotName() {
        SubscriptionChange change = SubscriptionRequests.change("{\"state\":\"paused\"}", true);
        assertEquals(Subscription.State.PAUSED, change.state());
        assertNull(change.url());
        assertFalse(change.topicsGiven());
        assertNull(change.batchSize());
        assertFalse(change.rotateSecret());
        assertNull(change.cursor());
        assertFalse(change.cursorAtEnd());
    }

    @Test
    void aGivenSecretIsARotationAndTopicsNullMeansAll() {
        SubscriptionChange change = SubscriptionRequests.change("{\"secret\":\"" + SECRET + "\",\"topics\":null,"
                + "\"cursor\":\"" + EventCursor.encode(new FeedPosition(7, 9)) + "\"}", true);
        assertTrue(change.rotateSecret());
        assertEquals(SECRET, change.secret());
        assertTrue(change.topicsGiven());
        assertNull(change.topics());
        assertEquals(new FeedPosition(7, 9), change.cursor());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"state\":\"disabled\"}", "{\"cursor\":\"nope\"}", "{\"cursor\":\"x\",\"from\":\"now\"}",
            "{\"rotate_secret\":\"yes\"}", "{\"created_at\":\"2026-01-01T00:00:00Z\"}"})
    void refusesAChangeWithA422(String body) {
        ProblemException refused = assertThrows(ProblemException.class, () -> SubscriptionRequests.change(body, true));
        assertEquals(422, refused.problem().status(), body);
    }
}
