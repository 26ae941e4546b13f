package io.meridian.simulation;

import io.meridian.core.GeoPoint;
import io.meridian.core.Participant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A drawn workload: the meetings of a simulation, each a list of participant countries. Immutable;
 * both sides of a simulation run exactly these meetings, in this order.
 *
 * <p>How it is drawn ({@link #generate}), so that the same seed gives the same workload on every JVM:
 * one {@code new SplittableRandom(seed)}, whose {@code nextLong()} is the specified SplitMix64
 * sequence; only {@code nextLong()} is used, every other draw is derived from it here:
 * <ol>
 *   <li>Countries are taken in code order (A–Z); each weight is divided by the largest one, and the
 *       running sums of these form the cumulative table {@code c[0..k-1]}, total {@code T}.</li>
 *   <li>For each meeting in turn: its size is {@code min + uniform(max - min + 1)}; then for each of
 *       its participants in turn: {@code x = unit() * T} and the country is the first {@code i} with
 *       {@code x < c[i]} (the last one if rounding leaves none).</li>
 *   <li>{@code uniform(n)}: {@code r = nextLong() >>> 1}, redrawn while {@code r} falls in the
 *       incomplete last block of size {@code 2^63 mod n}, then {@code r mod n} (unbiased; a draw is
 *       made even when {@code n = 1}). {@code unit()}: {@code (nextLong() >>> 11) * 2^-53}, in [0, 1).</li>
 * </ol>
 * A participant is placed at its country's representative point (centroid) and named {@code p<i>}
 * by its position in the meeting.
 */
public final class Workload {

    private final long seed;
    private final List<String> countries;
    private final List<GeoPoint> locations;
    private final int[] start;
    private final int[] country;

    private Workload(long seed, List<String> countries, List<GeoPoint> locations, int[] start, int[] country) {
        this.seed = seed;
        this.countries = List.copyOf(countries);
        this.locations = List.copyOf(locations);
        this.start = start;
        this.country = country;
    }

    /**
     * Draws the workload of a spec.
     *
     * @param centroids representative point of each country of the spec, by code
     * @throws IllegalArgumentException when a country of the spec has no centroid
     */
    public static Workload generate(WorkloadSpec spec, Map<String, GeoPoint> centroids) {
        List<String> codes = new ArrayList<>(spec.countryWeights().keySet());
        List<GeoPoint> points = new ArrayList<>(codes.size());
        double largest = 0;
        for (String code : codes) {
            GeoPoint point = centroids.get(code);
            if (point == null) {
                throw new IllegalArgumentException("no location for country " + code);
            }
            points.add(point);
            largest = Math.max(largest, spec.countryWeights().get(code));
        }
        double[] cumulative = new double[codes.size()];
        double total = 0;
        for (int i = 0; i < codes.size(); i++) {
            total += spec.countryWeights().get(codes.get(i)) / largest;
            cumulative[i] = total;
        }
        SplittableRandom random = new SplittableRandom(spec.seed());
        int span = spec.maxParticipants() - spec.minParticipants() + 1;
        int[] start = new int[spec.meetings() + 1];
        int[] country = new int[(int) Math.min(spec.maxTotalParticipants(),
                spec.meetings() * ((long) spec.minParticipants() + spec.maxParticipants()) / 2 + 16)];
        int n = 0;
        for (int m = 0; m < spec.meetings(); m++) {
            start[m] = n;
            int size = spec.minParticipants() + uniform(random, span);
            if (n + size > country.length) {
                country = Arrays.copyOf(country, (int) Math.min(spec.maxTotalParticipants(),
                        Math.max((long) n + size, (long) country.length * 3 / 2)));
            }
            for (int p = 0; p < size; p++) {
                country[n++] = pick(cumulative, unit(random) * total);
            }
        }
        start[spec.meetings()] = n;
        return new Workload(spec.seed(), codes, points, start, Arrays.copyOf(country, n));
    }

    /** Uniform in [0, n), unbiased, from one or more {@code nextLong()} draws. */
    static int uniform(SplittableRandom random, int n) {
        long incomplete = (Long.MAX_VALUE % n + 1) % n; // 2^63 mod n
        long r;
        do {
            r = random.nextLong() >>> 1;
        } while (r > Long.MAX_VALUE - incomplete);
        return (int) (r % n);
    }

    /** Uniform in [0, 1) with 53 random bits, from one {@code nextLong()} draw. */
    static double unit(SplittableRandom random) {
        return (random.nextLong() >>> 11) * 0x1.0p-53;
    }

    private static int pick(double[] cumulative, double x) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x < cumulative[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    public long seed() {
        return seed;
    }

    /** Number of meetings. */
    public int meetings() {
        return start.length - 1;
    }

    /** Participants of all meetings together. */
    public int participants() {
        return start[start.length - 1];
    }

    /** Participants of one meeting. */
    public int size(int meeting) {
        return start[meeting + 1] - start[meeting];
    }

    /** Country code of one participant of one meeting. */
    public String country(int meeting, int participant) {
        if (participant < 0 || participant >= size(meeting)) {
            throw new IndexOutOfBoundsException("participant " + participant);
        }
        return countries.get(country[start[meeting] + participant]);
    }

    /** The participants of one meeting as the routing engine takes them. */
    public List<Participant> participants(int meeting) {
        int from = start[meeting];
        int size = size(meeting);
        List<Participant> participants = new ArrayList<>(size);
        for (int p = 0; p < size; p++) {
            participants.add(new Participant(id(p), locations.get(country[from + p])));
        }
        return participants;
    }

    private static final String[] IDS = new String[64];

    static {
        for (int i = 0; i < IDS.length; i++) {
            IDS[i] = "p" + i;
        }
    }

    private static String id(int p) {
        return p < IDS.length ? IDS[p] : "p" + p;
    }

    /** Participants drawn per country, by code in code order (countries drawn for no one included). */
    public Map<String, Integer> participantsByCountry() {
        int[] counts = new int[countries.size()];
        for (int i = 0; i < participants(); i++) {
            counts[country[i]]++;
        }
        Map<String, Integer> byCountry = new java.util.LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            byCountry.put(countries.get(i), counts[i]);
        }
        return byCountry;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workload w && seed == w.seed && countries.equals(w.countries)
                && locations.equals(w.locations) && Arrays.equals(start, w.start) && Arrays.equals(country, w.country);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(start) + Arrays.hashCode(country);
    }

    @Override
    public String toString() {
        return "Workload[seed=" + seed + ", meetings=" + meetings() + ", participants=" + participants() + "]";
    }
}
