package io.meridian.core;

import java.util.Objects;

/**
 * The one home of "RTT of participant p to data center k": the client's measurement for that data
 * center when it sent one, else the {@link LatencyModel} estimate over the great-circle distance
 * from the participant's location to the data center's. Plans (their cost matrix), join placement
 * and move re-placement all ask here, so the same participant gets the same figure everywhere.
 *
 * @param estimate the access-network model used where nothing was measured
 */
public record AccessLatency(LatencyModel estimate) {

    public AccessLatency {
        Objects.requireNonNull(estimate, "estimate");
    }

    /** RTT of the participant to the data center at {@code dcIndex} of the model. */
    public double rttMs(Participant participant, DataCenterModel model, int dcIndex) {
        Double measured = participant.measuredRttMs().get(model.dataCenter(dcIndex).id());
        if (measured != null) {
            return measured;
        }
        double[] at = participant.location().unitVector();
        return estimated(at, model.unitVector(dcIndex));
    }

    /**
     * RTTs of the participant to several data centers, {@code out[j]} for {@code dcIndices[j]}: the
     * same figures as {@link #rttMs(Participant, DataCenterModel, int)}, with the participant's
     * location converted once.
     */
    public double[] rttMs(Participant participant, DataCenterModel model, int[] dcIndices) {
        double[] at = participant.location().unitVector();
        double[] row = new double[dcIndices.length];
        for (int j = 0; j < dcIndices.length; j++) {
            row[j] = estimated(at, model.unitVector(dcIndices[j]));
        }
        if (!participant.measuredRttMs().isEmpty()) {
            for (int j = 0; j < dcIndices.length; j++) {
                Double measured = participant.measuredRttMs().get(model.dataCenter(dcIndices[j]).id());
                if (measured != null) {
                    row[j] = measured;
                }
            }
        }
        return row;
    }

    /** Whether the participant's RTT to the data center is a measurement (else an estimate). */
    public static boolean measured(Participant participant, String dataCenterId) {
        return participant.measuredRttMs().containsKey(dataCenterId);
    }

    private double estimated(double[] at, double[] site) {
        return estimatedMs(GeoPoint.chordSquared(at[0], at[1], at[2], site[0], site[1], site[2]));
    }

    /**
     * The estimate for a squared chord between participant and data center
     * ({@link GeoPoint#chordSquared}): the same figure as {@link #rttMs}, and non-decreasing in the
     * chord (see {@link GeoPoint#arcKm(double)}; the latency model adds a constant to a positive
     * multiple of the distance). {@link SiteCosts} ranks data centers by the chord and prices here
     * only those it needs.
     */
    double estimatedMs(double chordSquared) {
        return estimate.rttMs(GeoPoint.arcKm(chordSquared));
    }
}
