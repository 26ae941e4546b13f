package io.meridian.ledger;

/**
 * Places held on one data center, as the ledger counts them.
 *
 * @param reserved     places held by live reservations
 * @param live         places held by live participants of live meetings
 * @param liveAtReport live participants that were present at the data center's newest load report
 *                     ({@code reportedAt}): the part of that report's count that {@code live}
 *                     already counts (see {@code CapacitySnapshot})
 */
public record Holds(int reserved, int live, int liveAtReport) {

    /** Nothing held. */
    public static final Holds NONE = new Holds(0, 0, 0);

    /** {@code n} reserved places (negative: given back). */
    public static Holds reserved(int n) {
        return new Holds(n, 0, 0);
    }

    /** {@code n} live places (negative: given back). */
    public static Holds live(int n) {
        return new Holds(0, n, 0);
    }

    /** This plus a change. */
    public Holds plus(Holds change) {
        return new Holds(reserved + change.reserved, live + change.live, liveAtReport + change.liveAtReport);
    }

    /** This with every count raised to at least 0 (applying a change to a stale snapshot). */
    public Holds atLeastZero() {
        return new Holds(Math.max(0, reserved), Math.max(0, live), Math.max(0, liveAtReport));
    }

    public boolean isNone() {
        return reserved == 0 && live == 0 && liveAtReport == 0;
    }
}
