package org.libertyevents.aggregator.feed;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.libertyevents.aggregator.store.EventRepository;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the feed may have grown, for the readers that follow it ({@link FeedWaits}, {@link FeedStreams}): this
 * instance committed events ({@link #committed}, called by the group committer), or the database's transaction
 * horizon ({@link EventRepository#horizon}) moved, which is how the commits of other instances show. Each follower
 * keeps its own {@link Watch}, so that one follower's look does not use up another's news.
 */
@ApplicationScoped
public class FeedGrowth {

    @EJB
    private EventRepository repository;

    private final AtomicLong commits = new AtomicLong();

    /** This instance committed events. */
    public void committed() {
        commits.incrementAndGet();
    }

    /** A new watch, which finds the feed grown at its first look. */
    public Watch watch() {
        return new Watch();
    }

    /** One follower's view of the feed's growth; used by one task at a time. */
    public final class Watch {

        private long seenCommits = -1;
        private long seenHorizon = Long.MIN_VALUE;

        private Watch() {
        }

        /**
         * True when this instance committed or the horizon moved since the last look (and at the first). Reads the
         * horizon from the database.
         */
        public boolean grown() {
            // Commits are counted before the horizon is read: a commit between the two is seen now or next time.
            long count = commits.get();
            long horizon = repository.horizon();
            boolean grown = count != seenCommits || horizon != seenHorizon;
            seenCommits = count;
            seenHorizon = horizon;
            return grown;
        }
    }
}
