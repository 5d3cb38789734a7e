package it.org.libertyevents.aggregator.faults.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults of one round, drawn from the round's seed: the same seed gives the same faults at the same moments.
 * A round has two to four faults. Each next one starts either while the one before lasts (an overlap) or a little
 * after it ends, as the seed says, and within the round's load (a third or fourth that would start after it is left
 * out, the second starts at its end at the latest); faults sharing a part wait for each other when they run (see
 * {@link Fault#parts()}). The first fault's kind goes round with the seed, so consecutive seeds cover every kind.
 *
 * <p>A pause lasts at least twice the reclaim idle time: the other instance looks for idle entries only every
 * half of it, and must have taken over, committed and acknowledged the paused consumers' entries (and its
 * maintenance pruned their receipts) before they resume. A pool hold takes all but at most two connections, and
 * sometimes all of them, so that a consumer may wait for one longer than the reclaim idle time.
 */
record Schedule(long seed, List<Fault> faults) {

    private static final Fault.Kind[] KINDS = Fault.Kind.values();
    /** What a restart after kill -9 takes, roughly, to place the fault after it. */
    private static final Duration RESTART = Duration.ofSeconds(20);

    /**
     * @param seed        the round's seed
     * @param window      the span of the round's load; faults start within it
     * @param reclaimIdle the broker's reclaim idle time, which a pause outlasts
     * @param instances   the instance numbers faults may hit
     * @param pool        the instances' database connections each
     */
    static Schedule draw(long seed, Duration window, Duration reclaimIdle, List<Integer> instances, int pool) {
        SplittableRandom random = new SplittableRandom(seed);
        int count = 2 + random.nextInt(3);
        List<Fault> faults = new ArrayList<>(count);
        long windowMillis = window.toMillis();
        long start = 1_000 + random.nextLong(Math.max(1, windowMillis / 3));
        for (int i = 0; i < count && (i < 2 || start <= windowMillis); i++) {
            Fault.Kind kind = i == 0 ? KINDS[(int) Math.floorMod(seed, (long) KINDS.length)]
                    : KINDS[random.nextInt(KINDS.length)];
            int instance = kind.onInstance() ? instances.get(random.nextInt(instances.size())) : 0;
            Duration length = switch (kind) {
                case KILL_INSTANCE -> Duration.ZERO;
                case PAUSE_INSTANCE -> reclaimIdle.multipliedBy(2).plusSeconds(random.nextInt(4));
                case KILL_REDIS, STOP_POSTGRES -> Duration.ofSeconds(2 + random.nextInt(5));
                case HOLD_POOL -> Duration.ofSeconds(3 + random.nextInt(5));
            };
            int held = kind == Fault.Kind.HOLD_POOL ? pool - random.nextInt(3) : 0;
            Fault fault = new Fault(kind, instance, Duration.ofMillis(Math.min(start, windowMillis)), length, held);
            faults.add(fault);
            long lasts = (kind == Fault.Kind.KILL_INSTANCE ? RESTART : length).toMillis();
            start = fault.start().toMillis() + (random.nextBoolean()
                    ? random.nextLong(Math.max(1, lasts))
                    : lasts + 1_000 + random.nextLong(3_000));
        }
        return new Schedule(seed, List.copyOf(faults));
    }

    @Override
    public String toString() {
        return String.join("; ", faults.stream().map(Fault::toString).toList());
    }
}
