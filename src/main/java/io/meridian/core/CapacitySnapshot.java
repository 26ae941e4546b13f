package io.meridian.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable view of the whole model's capacity at one moment: the one home of the headroom rule.
 *
 * <pre>
 *   inUse    = live + max(0, reportedLoad - liveAtReport)
 *   headroom = max(0, floor(capacity * maxUtilization) - inUse - reserved)
 * </pre>
 *
 * A load report counts everyone on the data center at its {@code reportedAt}, Meridian's live
 * participants among them; {@code liveAtReport} is how many of those were live participants, so
 * they are counted once (through {@code live}), joins after the report are added and leaves after it
 * of people it counted are given back. With no live participants this is the contract's
 * {@code floor(capacity * maxUtilization) - reportedLoad - reserved}. See
 * {@link DataCenterState#inUse()}.
 */
public final class CapacitySnapshot {

    private final DataCenterModel model;
    private final double maxUtilization;
    private final DataCenterState[] states;
    private final int[] headroom;

    /**
     * @param model          the data-center model
     * @param maxUtilization share of capacity usable before a data center counts as full, in (0, 1]
     * @param states         live state by data-center id; data centers without an entry are idle
     */
    public CapacitySnapshot(DataCenterModel model, double maxUtilization, Map<String, DataCenterState> states) {
        this.model = Objects.requireNonNull(model, "model");
        if (!(maxUtilization > 0 && maxUtilization <= 1)) {
            throw new IllegalArgumentException("max utilization must be in (0, 1]");
        }
        this.maxUtilization = maxUtilization;
        List<DataCenter> dcs = model.dataCenters();
        this.states = new DataCenterState[dcs.size()];
        this.headroom = new int[dcs.size()];
        for (int i = 0; i < dcs.size(); i++) {
            DataCenterState s = states.getOrDefault(dcs.get(i).id(), DataCenterState.IDLE);
            this.states[i] = s;
            long room = usableCapacity(dcs.get(i)) - s.inUse() - s.reserved();
            this.headroom[i] = (int) Math.max(0, room);
        }
    }

    /** A snapshot in which every data center is active and idle. */
    public static CapacitySnapshot idle(DataCenterModel model, double maxUtilization) {
        return new CapacitySnapshot(model, maxUtilization, Map.of());
    }

    public DataCenterModel model() {
        return model;
    }

    public double maxUtilization() {
        return maxUtilization;
    }

    /** {@code floor(capacity * maxUtilization)}. */
    public int usableCapacity(DataCenter dc) {
        return (int) Math.floor(dc.capacity() * maxUtilization);
    }

    public DataCenterState state(int index) {
        return states[index];
    }

    public int headroom(int index) {
        return headroom[index];
    }

    /** Share of total capacity in use (participants on the site plus reservations); may exceed 1 when overloaded. */
    public double utilization(int index) {
        DataCenterState s = states[index];
        return ((double) s.inUse() + s.reserved()) / model.dataCenter(index).capacity();
    }

    int[] headroomCopy() {
        return Arrays.copyOf(headroom, headroom.length);
    }
}
