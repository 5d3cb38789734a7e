package org.libertyevents.aggregator.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.libertyevents.aggregator.intake.FieldError;
import org.libertyevents.aggregator.store.FeedPosition;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** StreamStart: Last-Event-ID wins over after and from=now; the end of the feed is read only for from=now. */
class StreamStartTest {

    private static final FeedPosition SEEN = new FeedPosition(7, 70);
    private static final FeedPosition AFTER = new FeedPosition(3, 30);
    private static final FeedPosition END = new FeedPosition(9, 90);
    private static final Supplier<FeedPosition> NOT_ASKED = () -> {
        throw new AssertionError("the end of the feed was read");
    };

    @Test
    void withNothingTheStreamStartsAtTheStartOfTheFeed() {
        assertEquals(FeedPosition.START, StreamStart.resolve(null, null, null, NOT_ASKED));
        assertEquals(FeedPosition.START, StreamStart.resolve("", "", "", NOT_ASKED));
    }

    @Test
    void afterStartsRightAfterItsCursor() {
        assertEquals(AFTER, StreamStart.resolve(null, EventCursor.encode(AFTER), null, NOT_ASKED));
    }

    @Test
    void fromNowStartsAtTheEndOfTheFeed() {
        assertEquals(END, StreamStart.resolve(null, null, "now", () -> END));
    }

    @Test
    void lastEventIdWinsOverAfter() {
        assertEquals(SEEN, StreamStart.resolve(EventCursor.encode(SEEN), EventCursor.encode(AFTER), null, NOT_ASKED));
    }

    @Test
    void lastEventIdWinsOverFromNow() {
        assertEquals(SEEN, StreamStart.resolve(EventCursor.encode(SEEN), null, "now", NOT_ASKED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonsense", "djE6", "v2:1:2"})
    void aLastEventIdThisServiceDidNotIssueIs400(String id) {
        Problem problem = assertThrows(ProblemException.class,
                () -> StreamStart.resolve(id, EventCursor.encode(AFTER), null, NOT_ASKED)).problem();

        assertEquals(400, problem.status());
        assertEquals("invalid-header", problem.slug());
        assertEquals(List.of("Last-Event-ID"), problem.errors().stream().map(FieldError::field).toList());
    }

    @Test
    void anInvalidAfterIs400EvenBesideALastEventId() {
        Problem problem = assertThrows(ProblemException.class,
                () -> StreamStart.resolve(EventCursor.encode(SEEN), "nonsense", null, NOT_ASKED)).problem();

        assertEquals("invalid-parameter", problem.slug());
        assertEquals("after", problem.errors().get(0).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"later", "NOW", "start", " now"})
    void fromIsNowOrAbsent(String from) {
        Problem problem = assertThrows(ProblemException.class,
                () -> StreamStart.resolve(null, null, from, NOT_ASKED)).problem();

        assertEquals("from", problem.errors().get(0).field());
    }

    @Test
    void fromNowAndAfterExcludeEachOther() {
        Problem problem = assertThrows(ProblemException.class,
                () -> StreamStart.resolve(null, EventCursor.encode(AFTER), "now", NOT_ASKED)).problem();

        assertEquals("from", problem.errors().get(0).field());
    }
}
