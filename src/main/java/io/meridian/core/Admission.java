package io.meridian.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one home of "this data center can take n more": plans, reservations and live joins all ask
 * here.
 *
 * <ul>
 *   <li>{@link #room(CapacitySnapshot, int)}: a data center takes new participants only while it is
 *       {@code ACTIVE} and its load report is fresh; then it can take its
 *       {@linkplain CapacitySnapshot#headroom(int) headroom}, otherwise nothing.</li>
 *   <li>{@link #capacityExclusion(CapacitySnapshot, int)}: why a data center takes nobody, in the
 *       precedence order of {@link ExclusionReason} ({@code DC_DOWN}, {@code DC_DRAINING},
 *       {@code STALE_LOAD_REPORT}, {@code NO_HEADROOM}).</li>
 *   <li>{@link #admit(List, Map)}: requests admitted all-or-nothing, in the order given, each against
 *       the room the earlier admitted ones left.</li>
 * </ul>
 *
 * <p>The variants with {@code held} add places a caller already holds on a data center (a live
 * meeting created from a reservation holds places that the data center's headroom no longer
 * shows): they count as room for that caller alone, and only on a data center that takes new
 * participants at all.
 */
public final class Admission {

    private Admission() {
    }

    /** Participants the data center can take now: its headroom when it is ACTIVE and fresh, else 0. */
    public static int room(CapacitySnapshot snapshot, int dcIndex) {
        return room(snapshot, dcIndex, 0);
    }

    /**
     * Participants the data center can take now for a caller that already holds {@code held} places
     * on it: headroom plus {@code held} when it is ACTIVE and fresh, else 0.
     *
     * @throws IllegalArgumentException when {@code held} is negative
     */
    public static int room(CapacitySnapshot snapshot, int dcIndex, int held) {
        if (held < 0) {
            throw new IllegalArgumentException("held places cannot be negative");
        }
        DataCenterState state = snapshot.state(dcIndex);
        if (state.status() != DataCenterStatus.ACTIVE || state.stale()) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) snapshot.headroom(dcIndex) + held);
    }

    /**
     * Room by data-center id for the given ids, as {@link #room(CapacitySnapshot, int)}; an id the
     * model does not know has room 0.
     */
    public static Map<String, Integer> room(CapacitySnapshot snapshot, Collection<String> dataCenterIds) {
        Map<String, Integer> room = new TreeMap<>();
        for (String id : dataCenterIds) {
            int i = snapshot.model().indexOf(id);
            room.put(id, i < 0 ? 0 : room(snapshot, i));
        }
        return room;
    }

    /**
     * Why the data center takes no new participant, or empty when it takes some: {@code DC_DOWN},
     * {@code DC_DRAINING}, {@code STALE_LOAD_REPORT}, {@code NO_HEADROOM}, the first that applies.
     */
    public static Optional<ExclusionReason> capacityExclusion(CapacitySnapshot snapshot, int dcIndex) {
        return capacityExclusion(snapshot, dcIndex, 0);
    }

    /**
     * As {@link #capacityExclusion(CapacitySnapshot, int)} for a caller holding {@code held} places on
     * the data center: {@code NO_HEADROOM} only when headroom and held places are both used up.
     */
    public static Optional<ExclusionReason> capacityExclusion(CapacitySnapshot snapshot, int dcIndex, int held) {
        DataCenterState state = snapshot.state(dcIndex);
        if (state.status() == DataCenterStatus.DOWN) {
            return Optional.of(ExclusionReason.DC_DOWN);
        }
        if (state.status() == DataCenterStatus.DRAINING) {
            return Optional.of(ExclusionReason.DC_DRAINING);
        }
        if (state.stale()) {
            return Optional.of(ExclusionReason.STALE_LOAD_REPORT);
        }
        if (room(snapshot, dcIndex, held) <= 0) {
            return Optional.of(ExclusionReason.NO_HEADROOM);
        }
        return Optional.empty();
    }

    /**
     * Admits requests all-or-nothing, in list order: a request is admitted when every data center it
     * names has room for its participants there, after what the requests admitted before it took;
     * otherwise it takes nothing and its shortfall is the sum over its data centers of the
     * participants beyond the room left. A refused request does not stop later ones (a smaller
     * request after it may still fit). A data center missing from {@code room} has room 0.
     *
     * <p>Example: room {@code {a=3, b=1}}, demands {@code [{a=2}, {a=2, b=1}, {b=1}]} → admitted,
     * refused with shortfall 1 (a has 1 left), admitted; taken {@code {a=2, b=1}}.
     *
     * @param demands per request, participants per data-center id (each &ge; 0)
     * @param room    participants each data center can take, by id (each &ge; 0)
     * @throws IllegalArgumentException for a negative demand or room
     */
    public static Admitted admit(List<Map<String, Integer>> demands, Map<String, Integer> room) {
        Map<String, Integer> left = new TreeMap<>();
        room.forEach((dc, n) -> {
            if (n == null || n < 0) {
                throw new IllegalArgumentException("room on " + dc + " must be a non-negative number");
            }
            left.put(dc, n);
        });
        Map<String, Integer> taken = new TreeMap<>();
        List<Verdict> verdicts = new ArrayList<>(demands.size());
        for (Map<String, Integer> demand : demands) {
            long shortfall = 0;
            for (Map.Entry<String, Integer> e : demand.entrySet()) {
                Integer n = e.getValue();
                if (n == null || n < 0) {
                    throw new IllegalArgumentException("demand on " + e.getKey() + " must be a non-negative number");
                }
                shortfall += Math.max(0, n - left.getOrDefault(e.getKey(), 0));
            }
            if (shortfall > 0) {
                verdicts.add(Verdict.refused((int) Math.min(Integer.MAX_VALUE, shortfall)));
                continue;
            }
            demand.forEach((dc, n) -> {
                if (n > 0) {
                    left.merge(dc, -n, Integer::sum);
                    taken.merge(dc, n, Integer::sum);
                }
            });
            verdicts.add(Verdict.ADMITTED);
        }
        return new Admitted(verdicts, taken, left);
    }

    /**
     * What {@link #admit(List, Map)} decided.
     *
     * @param verdicts one per request, in request order
     * @param taken    participants the admitted requests take, per data center (only those with &gt; 0)
     * @param roomLeft the room left per data center of the given room map
     */
    public record Admitted(List<Verdict> verdicts, Map<String, Integer> taken, Map<String, Integer> roomLeft) {
        public Admitted {
            verdicts = List.copyOf(verdicts);
            taken = Collections.unmodifiableMap(new TreeMap<>(taken));
            roomLeft = Collections.unmodifiableMap(new TreeMap<>(roomLeft));
        }

        /** Whether request {@code i} (position in the demands list) was admitted. */
        public boolean admitted(int i) {
            return verdicts.get(i).admitted();
        }

        /** How many requests were admitted. */
        public int admittedCount() {
            int n = 0;
            for (Verdict v : verdicts) {
                if (v.admitted()) {
                    n++;
                }
            }
            return n;
        }
    }

    /**
     * The decision on one request.
     *
     * @param shortfall 0 when admitted; otherwise the participants beyond the room that was left,
     *                  summed over the request's data centers (&gt; 0)
     */
    public record Verdict(int shortfall) {
        public static final Verdict ADMITTED = new Verdict(0);

        public Verdict {
            if (shortfall < 0) {
                throw new IllegalArgumentException("shortfall cannot be negative");
            }
        }

        public boolean admitted() {
            return shortfall == 0;
        }

        /** Refused for want of {@code shortfall} places (&gt; 0). */
        public static Verdict refused(int shortfall) {
            if (shortfall <= 0) {
                throw new IllegalArgumentException("a refusal lacks at least one place");
            }
            return new Verdict(shortfall);
        }
    }
}
