package io.meridian.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The access RTTs of one planning problem, {@code cost(g, k)} for participant group g on eligible
 * data center ("site") k, priced on demand: a group starts with its few nearest sites priced and a
 * lower bound on the cost of every site it has not priced, and prices more only when an assigner
 * asks. A plan then costs what its distinct locations cost times the few sites each needs, not times
 * every site of the model, and holds no groups × sites table.
 *
 * <h2>Why the skipped sites are bounded</h2>
 * Every figure is {@link AccessLatency}'s. For a group without measurements the estimate to site k
 * is {@code F(key(g, k))}, where {@code key} is the squared chord between the two unit vectors
 * ({@link GeoPoint#chordSquared}) and {@code F} (square root, arcsine, the latency model's positive
 * slope and constant offset) is non-decreasing as a floating-point function
 * ({@link GeoPoint#arcKm(double)}, {@link AccessLatency#estimatedMs}). So the sites in ascending
 * order of {@code key} are in ascending order of cost, and {@code F} of the smallest key not yet
 * priced bounds the cost of every site not yet priced from below.
 *
 * <p>The smallest keys are found without computing every key: the key is the squared distance
 * between unit vectors in space, and the model's k-d tree ({@link SiteIndex}) finds the nearest by
 * it exactly, ties to the lower position (on small models every key is computed, which is cheaper
 * there and gives the same sites). The bound kept for the rest is {@code F} of the next key
 * in (key, position) order, which is exact, not an estimate of it.
 *
 * <p>A group with measurements has every site priced at once: a measurement may be far below the
 * estimate, so distance bounds nothing. A table built from a full matrix ({@link #of}) has every
 * site priced.
 *
 * <p>Of each group's priced sites the first is the cheapest (ties: the lower position). A group is
 * first priced when first asked about. Not thread safe: one instance belongs to one planning call.
 */
public final class SiteCosts {

    /** Up to this many sites, computing every key beats walking the k-d tree. */
    static final int SCAN_LIMIT = 32;

    private final int groups;
    private final int sites;
    private final int[][] pricedSites;
    private final double[][] pricedCosts;
    private final double[] bound;
    // a full table (from of(...)), or null when priced from geometry below
    private final double[][] full;
    private final AccessLatency access;
    private final double[] groupXyz;
    private final List<Map<String, Double>> measured;
    private final double[] siteXyz;
    private final String[] siteIds;
    // the model's k-d tree, its indices' positions among the sites (-1: not eligible), search scratch
    private final SiteIndex index;
    private final int[] positionOf;
    private final SiteIndex.Nearest nearest = new SiteIndex.Nearest();
    private final int initial;

    private SiteCosts(double[][] full, int sites) {
        this.groups = full.length;
        this.sites = sites;
        this.full = full;
        this.pricedSites = new int[groups][];
        this.pricedCosts = new double[groups][];
        this.bound = new double[groups];
        this.access = null;
        this.groupXyz = null;
        this.measured = null;
        this.siteXyz = null;
        this.siteIds = null;
        this.index = null;
        this.positionOf = null;
        this.initial = sites;
    }

    private SiteCosts(AccessLatency access, DataCenterModel model, int[] eligible, double[] groupXyz,
                      List<Map<String, Double>> measured, int initial) {
        this.groups = measured.size();
        this.sites = eligible.length;
        this.full = null;
        this.access = access;
        this.groupXyz = groupXyz;
        this.measured = measured;
        this.pricedSites = new int[groups][];
        this.pricedCosts = new double[groups][];
        this.bound = new double[groups];
        this.siteXyz = new double[3 * sites];
        this.siteIds = new String[sites];
        for (int k = 0; k < sites; k++) {
            double[] v = model.unitVector(eligible[k]);
            siteXyz[3 * k] = v[0];
            siteXyz[3 * k + 1] = v[1];
            siteXyz[3 * k + 2] = v[2];
            siteIds[k] = model.dataCenter(eligible[k]).id();
        }
        this.index = model.index();
        this.positionOf = new int[model.size()];
        Arrays.fill(positionOf, -1);
        for (int k = 0; k < sites; k++) {
            positionOf[eligible[k]] = k;
        }
        this.initial = Math.max(1, Math.min(initial, sites));
    }

    /** Group g's first pricing, on first use: its {@code initial} nearest sites, or all. */
    private void ensurePriced(int g) {
        if (pricedSites[g] != null) {
            return;
        }
        if (full != null || !measured.get(g).isEmpty() || initial >= sites) {
            priceAll(g);
        } else {
            search(g, initial, Double.NEGATIVE_INFINITY);
        }
    }

    /** A table with every cost given: {@code cost[g][k]}, every site of every group priced. */
    public static SiteCosts of(double[][] cost) {
        return new SiteCosts(cost, cost.length == 0 ? 0 : cost[0].length);
    }

    /**
     * The table of a plan: groups at the given unit vectors ({@code x, y, z} per group) with their
     * measurements, on the eligible data centers (model indices, ascending), each group starting with
     * its {@code initial} nearest sites priced.
     */
    static SiteCosts estimated(AccessLatency access, DataCenterModel model, int[] eligible, double[] groupXyz,
                               List<Map<String, Double>> measured, int initial) {
        return new SiteCosts(access, model, eligible, groupXyz, measured, initial);
    }

    public int groups() {
        return groups;
    }

    public int sites() {
        return sites;
    }

    /** How many sites of group g are priced (at least one when there are sites). */
    public int priced(int g) {
        ensurePriced(g);
        return pricedSites[g].length;
    }

    /** The j-th priced site of group g; j = 0 is its cheapest site of all (ties: the lower position). */
    public int pricedSite(int g, int j) {
        ensurePriced(g);
        return pricedSites[g][j];
    }

    public double pricedCost(int g, int j) {
        ensurePriced(g);
        return pricedCosts[g][j];
    }

    /** A lower bound on {@code cost(g, k)} of every site k not priced for group g; +infinity when all are. */
    public double unpricedBound(int g) {
        ensurePriced(g);
        return bound[g];
    }

    /**
     * Prices more sites of group g, nearest first, until at least {@code atLeast} are priced and
     * {@link #unpricedBound} is above {@code beyond}, or every site is. Sites already priced stay
     * priced, at the same figures.
     */
    public void price(int g, int atLeast, double beyond) {
        ensurePriced(g);
        if (pricedSites[g].length >= atLeast && bound[g] > beyond) {
            return;
        }
        if (full != null || !measured.get(g).isEmpty()) {
            priceAll(g);
        } else {
            search(g, Math.min(sites, Math.max(atLeast, pricedSites[g].length)), beyond);
        }
    }

    /** Prices every site of group g. */
    public void priceAll(int g) {
        int[] s = new int[sites];
        double[] c = new double[sites];
        int cheapest = 0;
        for (int k = 0; k < sites; k++) {
            s[k] = k;
            c[k] = cost(g, k);
            if (c[k] < c[cheapest]) {
                cheapest = k;
            }
        }
        swap(s, c, 0, cheapest);
        pricedSites[g] = s;
        pricedCosts[g] = c;
        bound[g] = Double.POSITIVE_INFINITY;
    }

    /** The RTT of a participant of group g on site k, priced or not (the same figure either way). */
    public double cost(int g, int k) {
        if (full != null) {
            return full[g][k];
        }
        int[] priced = pricedSites[g];
        if (priced != null && measured.get(g).isEmpty()) {
            for (int j = 0; j < priced.length; j++) {
                if (priced[j] == k) {
                    return pricedCosts[g][j];
                }
            }
        }
        if (!measured.get(g).isEmpty()) {
            Double m = measured.get(g).get(siteIds[k]);
            if (m != null) {
                return m;
            }
        }
        return access.estimatedMs(key(g, k));
    }

    /** Every cost, {@code [g][k]}: for an assigner that needs the whole table. */
    public double[][] dense() {
        double[][] out = new double[groups][sites];
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < sites; k++) {
                out[g][k] = cost(g, k);
            }
        }
        return out;
    }

    /**
     * {@code max(0, max over g of cost(g, k))}, with one pricing for all groups without measurements:
     * the largest key has the largest cost ({@code F} is non-decreasing), so the result is the same
     * number as the maximum of the priced figures.
     */
    double maxCost(int k) {
        double worst = 0;
        if (full != null) {
            for (int g = 0; g < groups; g++) {
                worst = Math.max(worst, full[g][k]);
            }
            return worst;
        }
        double farthest = -1;
        for (int g = 0; g < groups; g++) {
            if (measured.get(g).isEmpty()) {
                farthest = Math.max(farthest, key(g, k));
            } else {
                worst = Math.max(worst, cost(g, k));
            }
        }
        return farthest < 0 ? worst : Math.max(worst, access.estimatedMs(farthest));
    }

    /** Receives RTT figures with a multiplicity. */
    interface Figures {
        void add(double value, int times);
    }

    /**
     * Hands {@code out} enough figures that their two largest, with multiplicity, are the two
     * largest of every group's RTT to site k (group g counted {@code sizes[g]} times): the two
     * groups without measurements whose keys are largest (a larger key is never a smaller RTT), and
     * every group with measurements.
     */
    void farthestTwo(int k, int[] sizes, Figures out) {
        if (full != null) {
            for (int g = 0; g < groups; g++) {
                out.add(full[g][k], sizes[g]);
            }
            return;
        }
        int first = -1;
        int second = -1;
        double firstKey = Double.NEGATIVE_INFINITY;
        double secondKey = Double.NEGATIVE_INFINITY;
        for (int g = 0; g < groups; g++) {
            if (!measured.get(g).isEmpty()) {
                out.add(cost(g, k), sizes[g]);
                continue;
            }
            double key = key(g, k);
            if (key > firstKey) {
                second = first;
                secondKey = firstKey;
                first = g;
                firstKey = key;
            } else if (key > secondKey) {
                second = g;
                secondKey = key;
            }
        }
        if (first >= 0) {
            out.add(access.estimatedMs(firstKey), sizes[first]);
        }
        if (second >= 0) {
            out.add(access.estimatedMs(secondKey), sizes[second]);
        }
    }

    /** {@code sum over g of cost(g, k) * sizes[g]}, summed in group order. */
    double totalCost(int k, int[] sizes) {
        double sum = 0;
        for (int g = 0; g < groups; g++) {
            sum += cost(g, k) * sizes[g];
        }
        return sum;
    }

    /** The priced sites of group g (do not modify; replaced, not changed, when more are priced). */
    int[] pricedSites(int g) {
        ensurePriced(g);
        return pricedSites[g];
    }

    /** Their costs, in the same order (do not modify). */
    double[] pricedCosts(int g) {
        ensurePriced(g);
        return pricedCosts[g];
    }

    private double key(int g, int k) {
        return GeoPoint.chordSquared(groupXyz[3 * g], groupXyz[3 * g + 1], groupXyz[3 * g + 2],
                siteXyz[3 * k], siteXyz[3 * k + 1], siteXyz[3 * k + 2]);
    }

    /**
     * Prices the sites of group g in ascending (key, position) order until at least
     * {@code atLeast} are priced and the cost of the next one is above {@code beyond}; that cost is
     * the bound kept for the rest. The nearest sites come from the model's k-d tree
     * ({@link SiteIndex}); only the sites handed out and the next one are priced.
     */
    private void search(int g, int atLeast, double beyond) {
        int want = Math.min(sites, atLeast + 1);
        double[] costs = new double[want];
        int computed = 0;
        int count;
        double next;
        while (true) {
            select(g, want);
            int selected = nearest.size;
            if (costs.length < selected) {
                costs = Arrays.copyOf(costs, selected);
            }
            count = 0;
            next = Double.POSITIVE_INFINITY;
            boolean stopped = false;
            for (int j = 0; j < selected; j++) {
                if (j >= computed) {
                    // the first of a larger selection are the same sites: each is priced once
                    costs[j] = access.estimatedMs(nearest.key[j]);
                    computed = j + 1;
                }
                if (j >= atLeast && costs[j] > beyond) {
                    next = costs[j];
                    stopped = true;
                    break;
                }
                count++;
            }
            if (stopped || selected == sites) {
                break;
            }
            want = Math.min(sites, 2 * want);
        }
        int[] s = Arrays.copyOf(nearest.position, count);
        double[] c = Arrays.copyOf(costs, count);
        int cheapest = 0;
        for (int j = 1; j < count; j++) {
            if (c[j] < c[cheapest] || (c[j] == c[cheapest] && s[j] < s[cheapest])) {
                cheapest = j;
            }
        }
        swap(s, c, 0, cheapest);
        pricedSites[g] = s;
        pricedCosts[g] = c;
        bound[g] = next;
    }

    /**
     * The {@code want} nearest sites of group g into {@link #nearest}: from the k-d tree on large
     * models, by computing every key on small ones (cheaper below {@value #SCAN_LIMIT} sites); the
     * same sites either way.
     */
    private void select(int g, int want) {
        double qx = groupXyz[3 * g];
        double qy = groupXyz[3 * g + 1];
        double qz = groupXyz[3 * g + 2];
        if (sites > SCAN_LIMIT) {
            index.nearest(qx, qy, qz, want, positionOf, nearest);
            return;
        }
        nearest.reset(want);
        for (int k = 0; k < sites; k++) {
            nearest.offer(key(g, k), k);
        }
    }

    private static void swap(int[] s, double[] c, int i, int j) {
        if (i == j || s.length == 0) {
            return;
        }
        int ts = s[i];
        s[i] = s[j];
        s[j] = ts;
        double tc = c[i];
        c[i] = c[j];
        c[j] = tc;
    }
}
