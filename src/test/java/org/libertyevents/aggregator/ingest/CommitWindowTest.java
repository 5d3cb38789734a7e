package org.libertyevents.aggregator.ingest;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommitWindowTest {

    private final CommitWindow commits = new CommitWindow();
    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void aReadWithNoCommitAroundIsTakenAtOnce() {
        commits.begin();
        commits.end();
        assertEquals(1, commits.readQuiet(reads::incrementAndGet, 3));
    }

    @Test
    void aReadDuringACommitIsTakenAgainUpToTheAttempts() {
        commits.begin();
        assertEquals(3, commits.readQuiet(reads::incrementAndGet, 3), "the last of three reads");
        commits.end();
        assertEquals(4, commits.readQuiet(reads::incrementAndGet, 3), "quiet again: one read");
    }

    @Test
    void aCommitThatBeginsAndEndsDuringTheReadCountsAsOverlapping() {
        int value = commits.readQuiet(() -> {
            if (reads.incrementAndGet() == 1) {
                commits.begin();
                commits.end();
            }
            return reads.get();
        }, 3);
        assertEquals(2, value, "read again after the commit that overlapped the first read");
    }
}
