package io.meridian.core;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which videobridge a Jitsi conference focus (Jicofo) should give a joining participant: a pure
 * function of the bridges Jicofo offers, where the participant is, the account's effective policy
 * and the capacity snapshot. One strategy, in the spirit of Jicofo's own selection strategies, with
 * the one thing they lack: a region the policy forbids is never chosen, whatever the load.
 *
 * <p>A bridge is a <em>candidate</em> only if all of these hold:
 * <ul>
 *   <li>it is operational, not in graceful shutdown, not draining, and its stress is below the
 *       threshold;</li>
 *   <li>its Jitsi region maps to a data center of the model, that data center's region is permitted
 *       by the policy, and the data center is eligible (active, fresh, with headroom).</li>
 * </ul>
 * The one exception: when the policy restricts nothing at all (no blocked region, no allow-list), a
 * bridge whose region maps to no data center is a candidate of last resort, chosen only when no
 * mapped bridge is a candidate. Under any restriction it is never chosen, since nobody can tell
 * which region it is in.
 *
 * <p>Among the candidates, with {@code d(b)} the estimated RTT from the participant to the data
 * center of bridge b and {@code best} the smallest {@code d} of any candidate:
 * <ol>
 *   <li>a bridge the conference already uses, with {@code d(b) <= best + cascadeMinGainMs} (reusing it
 *       costs the participant at most the gain that would justify another cascade hop);</li>
 *   <li>else the least stressed candidate of the participant's best data center ({@code d(b) == best}).</li>
 * </ol>
 * Ties go to the lower stress, then the lower index, so the same input gives the same answer. A
 * participant whose location is unknown is at the same distance from every data center: a
 * conference bridge is reused if any is a candidate, else the least stressed candidate wins. No
 * location never relaxes the policy.
 *
 * <p>Eligibility of a data center is {@link Eligibility}'s (policy, then {@link Admission}); the
 * participant's RTT is {@link AccessLatency}'s, for a participant at the location of the data
 * center its Jitsi region maps to, precomputed once per model.
 */
public final class BridgeSelection {

    /** Index of a bridge whose Jitsi region maps to no data center, and of a participant with no location. */
    public static final int NO_DATA_CENTER = -1;

    /** Why a bridge was chosen. */
    public enum Reason {
        /** A bridge the conference already uses, in a data center close enough to the participant. */
        CONFERENCE_BRIDGE,
        /** The least stressed candidate of the participant's best eligible data center. */
        CLOSEST_DATA_CENTER,
        /** The participant's location is unknown: the least stressed candidate. */
        LEAST_STRESSED,
        /** No policy restricts the account and no mapped bridge is a candidate: a bridge in no known data center. */
        UNMAPPED_REGION
    }

    /** Why a bridge was not a candidate; the first that applies, in this order. */
    public enum Exclusion {
        UNMAPPED_REGION,
        REGION_BLOCKED,
        REGION_NOT_ALLOWED,
        DC_DOWN,
        DC_DRAINING,
        STALE_LOAD_REPORT,
        NO_HEADROOM,
        NOT_OPERATIONAL,
        GRACEFUL_SHUTDOWN,
        BRIDGE_DRAINING,
        STRESS_AT_THRESHOLD
    }

    /** The answer: a bridge, or none with what excluded them. */
    public sealed interface Outcome permits Selected, NoCandidate {
    }

    /**
     * @param index      the chosen bridge's position in the request
     * @param dataCenter index of its data center in the model, or {@link #NO_DATA_CENTER}
     * @param reason     which rule chose it
     */
    public record Selected(int index, int dataCenter, Reason reason) implements Outcome {
    }

    /** @param excluded how many bridges each reason excluded (reasons that excluded none are absent) */
    public record NoCandidate(Map<Exclusion, Integer> excluded) implements Outcome {
        public NoCandidate {
            excluded = Map.copyOf(excluded);
        }
    }

    private final DataCenterModel model;
    private final double stressThreshold;
    private final double cascadeMinGainMs;
    /** {@code rtt[p][k]}: estimated RTT of a participant at data center p's location to data center k. */
    private final double[][] rtt;

    /**
     * @param model            the data-center model the bridges' regions map into
     * @param latency          the participant-to-site RTT (a participant is placed at the location of
     *                         the data center its Jitsi region maps to)
     * @param stressThreshold  bridges at or above this stress are never chosen, in (0, +inf)
     * @param cascadeMinGainMs how much closer another data center must be to be worth leaving a
     *                         conference's bridge, ms (&ge; 0)
     */
    public BridgeSelection(DataCenterModel model, AccessLatency latency, double stressThreshold,
                           double cascadeMinGainMs) {
        this.model = Objects.requireNonNull(model, "model");
        Objects.requireNonNull(latency, "latency");
        if (!(stressThreshold > 0) || Double.isNaN(stressThreshold)) {
            throw new IllegalArgumentException("the stress threshold must be a positive number");
        }
        if (!(cascadeMinGainMs >= 0) || !Double.isFinite(cascadeMinGainMs)) {
            throw new IllegalArgumentException("the cascade minimum gain must be a non-negative number of ms");
        }
        this.stressThreshold = stressThreshold;
        this.cascadeMinGainMs = cascadeMinGainMs;
        int n = model.size();
        int[] all = new int[n];
        for (int k = 0; k < n; k++) {
            all[k] = k;
        }
        this.rtt = new double[n][];
        for (int p = 0; p < n; p++) {
            rtt[p] = latency.rttMs(new Participant("at " + model.dataCenter(p).id(), model.dataCenter(p).location()),
                    model, all);
        }
    }

    public DataCenterModel model() {
        return model;
    }

    public double stressThreshold() {
        return stressThreshold;
    }

    /** Estimated RTT from a participant located at data center p to data center k. */
    public double rttMs(int p, int k) {
        return rtt[p][k];
    }

    /**
     * Whether a bridge in no known data center may be chosen under this policy: only when the policy
     * restricts nothing (see the class comment).
     */
    public static boolean unmappedPermitted(RegionPolicy policy) {
        return policy.blockedRegions().isEmpty() && policy.allowedRegions().isEmpty();
    }

    /**
     * Chooses a bridge.
     *
     * @param bridges       what Jicofo offered
     * @param participantDc the data center the participant's Jitsi region maps to, or {@link #NO_DATA_CENTER}
     * @param policy        the account's effective policy
     * @param snapshot      the capacity snapshot, of this selector's model
     */
    public Outcome select(Bridges bridges, int participantDc, RegionPolicy policy, CapacitySnapshot snapshot) {
        if (snapshot.model() != model) {
            throw new IllegalArgumentException("the snapshot is of another model");
        }
        if (participantDc < NO_DATA_CENTER || participantDc >= model.size()) {
            throw new IllegalArgumentException("participant data center out of range");
        }
        int size = bridges.size();
        Eligibility eligibility = Eligibility.of(policy, snapshot);
        boolean unmappedAllowed = unmappedPermitted(policy);
        double[] distance = participantDc == NO_DATA_CENTER ? null : rtt[participantDc];

        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        int unmappedBest = -1;
        int unmappedConference = -1;
        boolean anyConference = false;
        for (int i = 0; i < size; i++) {
            int dc = bridges.dataCenter(i);
            if (dc >= model.size()) {
                throw new IllegalArgumentException("bridge " + i + " names a data center outside the model");
            }
            if (!usable(bridges, i)) {
                continue;
            }
            if (dc == NO_DATA_CENTER) {
                if (unmappedAllowed) {
                    if (lessStressed(bridges, i, unmappedBest)) {
                        unmappedBest = i;
                    }
                    if (bridges.inConference(i) && lessStressed(bridges, i, unmappedConference)) {
                        unmappedConference = i;
                    }
                }
                continue;
            }
            if (!eligibility.isEligible(dc)) {
                continue;
            }
            anyConference |= bridges.inConference(i);
            double d = distance == null ? 0 : distance[dc];
            if (d < bestDistance || d == bestDistance && lessStressed(bridges, i, best)) {
                best = i;
                bestDistance = d;
            }
        }
        if (best >= 0) {
            if (anyConference) {
                int reuse = -1;
                double limit = bestDistance + cascadeMinGainMs;
                for (int i = 0; i < size; i++) {
                    if (!bridges.inConference(i) || !usable(bridges, i)) {
                        continue;
                    }
                    int dc = bridges.dataCenter(i);
                    if (dc == NO_DATA_CENTER || !eligibility.isEligible(dc)) {
                        continue;
                    }
                    double d = distance == null ? 0 : distance[dc];
                    if (d <= limit && lessStressed(bridges, i, reuse)) {
                        reuse = i;
                    }
                }
                if (reuse >= 0) {
                    return new Selected(reuse, bridges.dataCenter(reuse), Reason.CONFERENCE_BRIDGE);
                }
            }
            return new Selected(best, bridges.dataCenter(best),
                    distance == null ? Reason.LEAST_STRESSED : Reason.CLOSEST_DATA_CENTER);
        }
        int unmapped = unmappedConference >= 0 ? unmappedConference : unmappedBest;
        if (unmapped >= 0) {
            return new Selected(unmapped, NO_DATA_CENTER, Reason.UNMAPPED_REGION);
        }
        return new NoCandidate(exclusions(bridges, policy, eligibility));
    }

    /** The bridge's own state lets it take a participant. */
    private boolean usable(Bridges bridges, int i) {
        return bridges.operational(i) && !bridges.gracefulShutdown(i) && !bridges.draining(i)
                && bridges.stress(i) < stressThreshold;
    }

    /** i is a better pick than {@code current} by (stress, index); any bridge beats none. */
    private static boolean lessStressed(Bridges bridges, int i, int current) {
        // i is visited in increasing order, so an equal stress keeps the lower index
        return current < 0 || bridges.stress(i) < bridges.stress(current);
    }

    /** A data center's reason in this selection's terms. */
    private static Exclusion of(ExclusionReason reason) {
        return switch (reason) {
            case REGION_BLOCKED -> Exclusion.REGION_BLOCKED;
            case REGION_NOT_ALLOWED -> Exclusion.REGION_NOT_ALLOWED;
            case DC_DOWN -> Exclusion.DC_DOWN;
            case DC_DRAINING -> Exclusion.DC_DRAINING;
            case STALE_LOAD_REPORT -> Exclusion.STALE_LOAD_REPORT;
            case NO_HEADROOM -> Exclusion.NO_HEADROOM;
        };
    }

    /** Why each bridge was excluded: computed only when none was a candidate, for the answer's detail. */
    private Map<Exclusion, Integer> exclusions(Bridges bridges, RegionPolicy policy, Eligibility eligibility) {
        int[] counts = new int[Exclusion.values().length];
        for (int i = 0; i < bridges.size(); i++) {
            counts[exclusion(bridges, i, policy, eligibility).ordinal()]++;
        }
        Map<Exclusion, Integer> out = new EnumMap<>(Exclusion.class);
        for (Exclusion e : Exclusion.values()) {
            if (counts[e.ordinal()] > 0) {
                out.put(e, counts[e.ordinal()]);
            }
        }
        return out;
    }

    private Exclusion exclusion(Bridges bridges, int i, RegionPolicy policy, Eligibility eligibility) {
        int dc = bridges.dataCenter(i);
        if (dc == NO_DATA_CENTER) {
            // with an unrestricted policy an unmapped bridge is excluded only by its own state
            Exclusion own = ownExclusion(bridges, i);
            return own == null || !unmappedPermitted(policy) ? Exclusion.UNMAPPED_REGION : own;
        }
        Optional<ExclusionReason> reason = eligibility.reason(dc);
        if (reason.isPresent()) {
            return of(reason.get());
        }
        return Objects.requireNonNull(ownExclusion(bridges, i), "a bridge that is no candidate has a reason");
    }

    private Exclusion ownExclusion(Bridges bridges, int i) {
        if (!bridges.operational(i)) {
            return Exclusion.NOT_OPERATIONAL;
        }
        if (bridges.gracefulShutdown(i)) {
            return Exclusion.GRACEFUL_SHUTDOWN;
        }
        if (bridges.draining(i)) {
            return Exclusion.BRIDGE_DRAINING;
        }
        if (!(bridges.stress(i) < stressThreshold)) {
            return Exclusion.STRESS_AT_THRESHOLD;
        }
        return null;
    }

    /**
     * The bridges of one request, column by column (no object per bridge: a request may list
     * thousands). Built with {@link Builder}; immutable once built.
     */
    public static final class Bridges {
        private static final int OPERATIONAL = 1;
        private static final int GRACEFUL_SHUTDOWN = 2;
        private static final int DRAINING = 4;
        private static final int IN_CONFERENCE = 8;

        private final int size;
        private final int[] dataCenter;
        private final double[] stress;
        private final byte[] flags;

        private Bridges(int size, int[] dataCenter, double[] stress, byte[] flags) {
            this.size = size;
            this.dataCenter = dataCenter;
            this.stress = stress;
            this.flags = flags;
        }

        public static Builder builder(int expected) {
            return new Builder(expected);
        }

        public int size() {
            return size;
        }

        /** Index of the bridge's data center in the model, or {@link #NO_DATA_CENTER}. */
        public int dataCenter(int i) {
            check(i);
            return dataCenter[i];
        }

        public double stress(int i) {
            check(i);
            return stress[i];
        }

        public boolean operational(int i) {
            return flag(i, OPERATIONAL);
        }

        public boolean gracefulShutdown(int i) {
            return flag(i, GRACEFUL_SHUTDOWN);
        }

        public boolean draining(int i) {
            return flag(i, DRAINING);
        }

        /** The conference already uses this bridge. */
        public boolean inConference(int i) {
            return flag(i, IN_CONFERENCE);
        }

        private boolean flag(int i, int bit) {
            check(i);
            return (flags[i] & bit) != 0;
        }

        private void check(int i) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("bridge " + i + " of " + size);
            }
        }

        /** Collects bridges in request order; {@link #build()} once. */
        public static final class Builder {
            private int size;
            private int[] dataCenter;
            private double[] stress;
            private byte[] flags;
            private boolean built;

            private Builder(int expected) {
                int capacity = Math.max(4, expected);
                dataCenter = new int[capacity];
                stress = new double[capacity];
                flags = new byte[capacity];
            }

            /**
             * Adds the next bridge and returns its index.
             *
             * @param dataCenterIndex its data center's index in the model, or {@link #NO_DATA_CENTER}
             * @param stress          Jicofo's stress figure, finite and &ge; 0
             */
            public int add(int dataCenterIndex, double stress, boolean operational, boolean gracefulShutdown,
                           boolean draining) {
                if (built) {
                    throw new IllegalStateException("already built");
                }
                if (!(stress >= 0) || !Double.isFinite(stress)) {
                    throw new IllegalArgumentException("stress must be a finite number >= 0");
                }
                if (dataCenterIndex < NO_DATA_CENTER) {
                    throw new IllegalArgumentException("data center index out of range");
                }
                if (size == dataCenter.length) {
                    int grown = size * 2;
                    dataCenter = Arrays.copyOf(dataCenter, grown);
                    this.stress = Arrays.copyOf(this.stress, grown);
                    flags = Arrays.copyOf(flags, grown);
                }
                dataCenter[size] = dataCenterIndex;
                this.stress[size] = stress;
                flags[size] = (byte) ((operational ? OPERATIONAL : 0) | (gracefulShutdown ? GRACEFUL_SHUTDOWN : 0)
                        | (draining ? DRAINING : 0));
                return size++;
            }

            /** Marks bridge {@code i} as one the conference already uses. */
            public void inConference(int i) {
                if (built || i < 0 || i >= size) {
                    throw new IllegalStateException("no bridge " + i + " to mark");
                }
                flags[i] |= IN_CONFERENCE;
            }

            public int size() {
                return size;
            }

            public Bridges build() {
                built = true;
                return new Bridges(size, dataCenter, stress, flags);
            }
        }
    }
}
