package it.org.libertyevents.aggregator.faults.schedule;

import java.time.Duration;
import java.util.Set;

/**
 * One fault of a round: what breaks, on which instance (for the faults of an instance), when in the round it starts
 * and how long it lasts before it is undone.
 *
 * @param kind     what breaks
 * @param instance the instance it hits (its number), or 0 when it hits a shared part
 * @param start    from the round's start
 * @param length   how long the fault lasts; for a kill, nothing (the instance is restarted at once, and its
 *                 start-up is the outage)
 * @param held     for a pool hold, how many of the instance's connections it takes; else 0
 */
record Fault(Kind kind, int instance, Duration start, Duration length, int held) {

    /** The kinds of fault the schedule draws from. */
    enum Kind {
        /** kill -9 of an instance, then a restart. */
        KILL_INSTANCE,
        /** SIGSTOP of an instance for longer than the reclaim idle time, then SIGCONT. */
        PAUSE_INSTANCE,
        /** kill -9 of the Redis (append-only file on), then a restart. */
        KILL_REDIS,
        /** PostgreSQL stopped in immediate mode, then started (crash recovery). */
        STOP_POSTGRES,
        /** Most of an instance's database connections held by reads stuck on a lock. */
        HOLD_POOL;

        boolean onInstance() {
            return this == KILL_INSTANCE || this == PAUSE_INSTANCE || this == HOLD_POOL;
        }
    }

    /**
     * What the fault takes over while it lasts: two faults sharing a part never run at once (a paused instance
     * cannot also be killed, a pool cannot be held on a stopped database), faults on different parts overlap freely.
     */
    Set<String> parts() {
        return switch (kind) {
            case KILL_INSTANCE, PAUSE_INSTANCE -> Set.of("instance " + instance);
            case HOLD_POOL -> Set.of("instance " + instance, "postgres");
            case KILL_REDIS -> Set.of("redis");
            case STOP_POSTGRES -> Set.of("postgres");
        };
    }

    @Override
    public String toString() {
        String at = String.format("t+%.1fs ", start.toMillis() / 1000.0);
        String seconds = length.toSeconds() + " s";
        return at + switch (kind) {
            case KILL_INSTANCE -> "kill -9 instance " + instance + ", restart";
            case PAUSE_INSTANCE -> "SIGSTOP instance " + instance + " for " + seconds;
            case KILL_REDIS -> "kill -9 Redis for " + seconds;
            case STOP_POSTGRES -> "PostgreSQL stopped (immediate) for " + seconds;
            case HOLD_POOL -> held + " pooled connections of instance " + instance + " held for " + seconds;
        };
    }
}
