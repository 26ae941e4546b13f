package io.meridian.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which data centers of the model take part in a routing decision, and why the others do not: the
 * one home of the eligibility rule that plans, joins and moves share.
 *
 * <p>A data center is eligible when its region is permitted by the policy
 * ({@link RegionPolicy#exclusionOf}) and it can take new participants
 * ({@link Admission#capacityExclusion}). Every other data center is listed in {@link #excluded()},
 * in model (id) order, with the first reason that applies in {@link ExclusionReason} order: the
 * policy's reasons come before the capacity ones, so a blocked data center that is also down is
 * reported as blocked. {@link #anyPermitted()} tells a policy that leaves no data center at all (a
 * 422) from one whose permitted data centers are merely full or out of service (a 503).
 */
public final class Eligibility {

    private final DataCenterModel model;
    private final int[] eligible;
    private final int[] room;
    private final ExclusionReason[] reasons;
    private final List<RoutingPlan.Exclusion> excluded;
    private final boolean anyPermitted;

    private Eligibility(DataCenterModel model, int[] eligible, int[] room, ExclusionReason[] reasons,
                        List<RoutingPlan.Exclusion> excluded, boolean anyPermitted) {
        this.model = model;
        this.eligible = eligible;
        this.room = room;
        this.reasons = reasons;
        this.excluded = List.copyOf(excluded);
        this.anyPermitted = anyPermitted;
    }

    /** Eligibility for a plan: a data center needs headroom of its own. */
    public static Eligibility of(RegionPolicy policy, CapacitySnapshot snapshot) {
        return of(policy, snapshot, Map.of());
    }

    /**
     * Eligibility for a caller that already holds places on some data centers (a live meeting
     * created from a reservation): those count as room on that data center, so it is not excluded
     * for {@code NO_HEADROOM} while the caller holds places there. Held places never make a
     * forbidden, down, draining or stale data center eligible.
     *
     * @param held places held by the caller, by data-center id; ids the model does not know are ignored
     */
    public static Eligibility of(RegionPolicy policy, CapacitySnapshot snapshot, Map<String, Integer> held) {
        DataCenterModel model = snapshot.model();
        int n = model.size();
        int[] room = new int[n];
        ExclusionReason[] reasons = new ExclusionReason[n];
        int[] eligible = new int[n];
        int count = 0;
        List<RoutingPlan.Exclusion> excluded = new ArrayList<>();
        boolean anyPermitted = false;
        for (int i = 0; i < n; i++) {
            DataCenter dc = model.dataCenter(i);
            int mine = held.getOrDefault(dc.id(), 0);
            Optional<ExclusionReason> reason = policy.exclusionOf(dc.region());
            if (reason.isEmpty()) {
                anyPermitted = true;
                reason = Admission.capacityExclusion(snapshot, i, mine);
            }
            if (reason.isPresent()) {
                reasons[i] = reason.get();
                excluded.add(new RoutingPlan.Exclusion(dc.id(), dc.region(), reason.get()));
            } else {
                room[i] = Admission.room(snapshot, i, mine);
                eligible[count++] = i;
            }
        }
        return new Eligibility(model, Arrays.copyOf(eligible, count), room, reasons, excluded, anyPermitted);
    }

    public DataCenterModel model() {
        return model;
    }

    /** Model indices of the eligible data centers, ascending (a fresh copy). */
    public int[] eligibleIndices() {
        return eligible.clone();
    }

    /** How many data centers are eligible. */
    public int eligibleCount() {
        return eligible.length;
    }

    public boolean isEligible(int index) {
        return reasons[index] == null;
    }

    /** Why the data center at {@code index} is not eligible, or empty when it is. */
    public Optional<ExclusionReason> reason(int index) {
        return Optional.ofNullable(reasons[index]);
    }

    /**
     * Participants the data center can take for this caller: {@link Admission#room} plus the places
     * the caller holds there; 0 when it is not eligible.
     */
    public int room(int index) {
        return room[index];
    }

    /** Every data center that is not eligible, in model order, with its reason. */
    public List<RoutingPlan.Exclusion> excluded() {
        return excluded;
    }

    /** Whether the policy permits at least one data center of the model, whatever its state. */
    public boolean anyPermitted() {
        return anyPermitted;
    }
}
