package io.meridian.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Pricing only each group's nearest sites ({@link SiteCosts}) against the full table: the priced
 * sites are the nearest and the bound holds for every skipped one, and the optimiser's answer on
 * the pruned table is an optimum of the full one, also when capacity sends groups far.
 */
class SiteCostsPropertiesTest {

    private static final AccessLatency ACCESS = new AccessLatency(LatencyModel.DEFAULT);
    private final MinCostFlowAssigner optimal = new MinCostFlowAssigner();

    /** Sites somewhere on earth with capacities, groups at places (some measured), a first pricing depth. */
    record World(DataCenterModel model, int[] capacities, double[] xyz, List<Map<String, Double>> measured,
                 int[] sizes, int initial) {
        int[] eligible() {
            int[] all = new int[model.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }

        SiteCosts costs() {
            return SiteCosts.estimated(ACCESS, model, eligible(), xyz, measured, initial);
        }

        @Override
        public String toString() {
            return "sites=" + model.dataCenters() + " capacities=" + Arrays.toString(capacities) + " sizes="
                    + Arrays.toString(sizes) + " measured=" + measured + " initial=" + initial;
        }
    }

    private static Arbitrary<GeoPoint> anywhere() {
        return Combinators.combine(Arbitraries.doubles().between(-89, 89).ofScale(2),
                Arbitraries.doubles().between(-180, 180).ofScale(2)).as(GeoPoint::new);
    }

    /** Places clustered in a few areas, so that nearby sites fill up and some groups must go far. */
    private static Arbitrary<GeoPoint> near(List<GeoPoint> centres) {
        return Combinators.combine(Arbitraries.of(centres), Arbitraries.doubles().between(-8, 8),
                        Arbitraries.doubles().between(-8, 8))
                .as((c, dLat, dLon) -> new GeoPoint(Math.max(-89, Math.min(89, c.latitude() + dLat)),
                        Math.max(-180, Math.min(180, c.longitude() + dLon))));
    }

    @Provide
    Arbitrary<World> worlds() {
        // up to SCAN_LIMIT sites every key is computed; above it the k-d tree finds the nearest
        Arbitrary<List<GeoPoint>> sites = Arbitraries.oneOf(anywhere().list().ofMinSize(1).ofMaxSize(SiteCosts.SCAN_LIMIT),
                anywhere().list().ofMinSize(SiteCosts.SCAN_LIMIT + 1).ofMaxSize(90));
        return sites.flatMap(points -> {
            Arbitrary<List<GeoPoint>> places = near(points.subList(0, Math.min(3, points.size()))).list()
                    .ofMinSize(1).ofMaxSize(40);
            return Combinators.combine(places, Arbitraries.integers().between(1, 6).list().ofSize(40),
                    Arbitraries.integers().between(0, 12).list().ofSize(points.size()),
                    Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 6))
                    .as((where, sizeList, capList, initial, measuredEvery) -> {
                        List<DataCenter> dcs = new ArrayList<>();
                        for (int i = 0; i < points.size(); i++) {
                            dcs.add(new DataCenter(String.format("s-%02d", i), "Site " + i, "R", points.get(i), 1));
                        }
                        DataCenterModel model = new DataCenterModel(List.of(new Region("R", "R")), dcs,
                                LatencyModel.BACKBONE);
                        int groups = where.size();
                        int[] sizes = new int[groups];
                        double[] xyz = new double[3 * groups];
                        List<Map<String, Double>> measured = new ArrayList<>();
                        for (int g = 0; g < groups; g++) {
                            sizes[g] = sizeList.get(g);
                            double[] v = where.get(g).unitVector();
                            System.arraycopy(v, 0, xyz, 3 * g, 3);
                            // now and then a measurement, of a far site, far below the estimate
                            measured.add(measuredEvery > 0 && g % (measuredEvery + 1) == measuredEvery
                                    ? Map.of(dcs.get(g % dcs.size()).id(), 1.0 + g % 7) : Map.of());
                        }
                        int[] capacities = capList.stream().mapToInt(Integer::intValue).toArray();
                        // capacity tight overall: topped up on the last site to just hold everyone
                        int shortfall = Arrays.stream(sizes).sum() - Arrays.stream(capacities).sum();
                        if (shortfall > 0) {
                            capacities[capacities.length - 1] += shortfall;
                        }
                        return new World(model, capacities, xyz, measured, sizes, initial);
                    });
        });
    }

    @Property(tries = 500)
    void pricedSitesAreTheNearestAndTheBoundHoldsForEveryOther(@ForAll("worlds") World w) {
        SiteCosts costs = w.costs();
        double[][] full = costs.dense();
        for (int g = 0; g < w.sizes().length; g++) {
            boolean[] priced = new boolean[full[g].length];
            double cheapest = Double.POSITIVE_INFINITY;
            for (int k = 0; k < full[g].length; k++) {
                cheapest = Math.min(cheapest, full[g][k]);
            }
            assertThat(costs.pricedCost(g, 0)).as("the first priced site is the cheapest").isEqualTo(cheapest);
            double farthestPriced = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < costs.priced(g); j++) {
                int k = costs.pricedSite(g, j);
                priced[k] = true;
                assertThat(costs.pricedCost(g, j)).isEqualTo(full[g][k]);
                farthestPriced = Math.max(farthestPriced, full[g][k]);
            }
            for (int k = 0; k < full[g].length; k++) {
                if (!priced[k]) {
                    assertThat(full[g][k]).as("site %d skipped for group %d", k, g)
                            .isGreaterThanOrEqualTo(costs.unpricedBound(g));
                    assertThat(full[g][k]).as("skipped sites are no nearer than priced ones")
                            .isGreaterThanOrEqualTo(farthestPriced);
                }
            }
        }
    }

    @Property(tries = 1000)
    void theOptimumOfThePrunedTableIsAnOptimumOfTheFullTable(@ForAll("worlds") World w) {
        SiteCosts costs = w.costs();
        double[][] full = costs.dense();
        Placement pruned = optimal.assign(w.sizes(), w.capacities(), costs);
        int[][] counts = pruned.dense(full[0].length);
        assertFeasible(w, counts);
        int[][] reference = optimal.assign(w.sizes(), w.capacities(), full);
        double prunedTotal = BruteForce.totalCost(counts, full);
        double fullTotal = BruteForce.totalCost(reference, full);
        assertThat(prunedTotal).isCloseTo(fullTotal, within(1e-6 * Math.max(1, fullTotal)));
        int skipped = 0;
        int onFar = 0;
        for (int g = 0; g < w.sizes().length; g++) {
            skipped += full[g].length - costs.priced(g);
            for (int i = 0; i < pruned.entries(g); i++) {
                if (full[g][pruned.site(g, i)] > costs.pricedCost(g, 0)) {
                    onFar++;
                }
            }
        }
        Statistics.label("sites never priced").collect(skipped == 0 ? "none" : "some");
        Statistics.label("groups moved off their nearest site").collect(onFar == 0 ? "none" : "some");
    }

    @Property(tries = 300)
    void onTinyTablesThePrunedOptimumIsTheBruteForceOptimum(@ForAll("worlds") World w) {
        int total = Arrays.stream(w.sizes()).sum();
        if (total > 8 || w.model().size() > 5) {
            return;
        }
        SiteCosts costs = w.costs();
        double[][] full = costs.dense();
        int[][] counts = optimal.assign(w.sizes(), w.capacities(), costs).dense(full[0].length);
        assertFeasible(w, counts);
        assertThat(BruteForce.totalCost(counts, full))
                .isCloseTo(BruteForce.minTotalCost(w.sizes(), w.capacities(), full), within(1e-9));
    }

    @Property(tries = 300)
    void thePrunedSearchIsDeterministic(@ForAll("worlds") World w) {
        int[][] first = optimal.assign(w.sizes(), w.capacities(), w.costs()).dense(w.model().size());
        int[][] again = optimal.assign(w.sizes(), w.capacities(), w.costs()).dense(w.model().size());
        assertThat(again).isDeepEqualTo(first);
    }

    @Property(tries = 500)
    void theTreeFindsExactlyTheNearestEligibleSites(@ForAll("worlds") World w, @ForAll("anyPoint") GeoPoint at,
                                                    @ForAll("masks") long mask, @ForAll("counts") int n) {
        DataCenterModel model = w.model();
        int[] positionOf = new int[model.size()];
        List<double[]> expected = new ArrayList<>();
        double[] q = at.unitVector();
        int next = 0;
        for (int i = 0; i < model.size(); i++) {
            // a few sites not eligible, positions given to the others in index order
            positionOf[i] = (mask >>> (i % 64) & 1) == 1 && i % 3 == 0 ? -1 : next++;
            if (positionOf[i] >= 0) {
                double[] s = model.unitVector(i);
                expected.add(new double[]{GeoPoint.chordSquared(q[0], q[1], q[2], s[0], s[1], s[2]), positionOf[i]});
            }
        }
        expected.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        SiteIndex.Nearest found = new SiteIndex.Nearest();
        model.index().nearest(q[0], q[1], q[2], n, positionOf, found);
        assertThat(found.size).isEqualTo(Math.min(n, expected.size()));
        for (int j = 0; j < found.size; j++) {
            assertThat(found.key[j]).isEqualTo(expected.get(j)[0]);
            assertThat(found.position[j]).isEqualTo((int) expected.get(j)[1]);
        }
    }

    @Provide
    Arbitrary<GeoPoint> anyPoint() {
        return anywhere();
    }

    @Provide
    Arbitrary<Long> masks() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.integers().between(1, 12);
    }

    @Example
    void aGroupWhoseNearSitesAreFullGoesToTheFarSiteWithRoom() {
        // three sites in Europe with no room to spare, one in Singapore with room: the optimum needs it
        List<DataCenter> dcs = List.of(
                new DataCenter("a-fra", "Frankfurt", "R", new GeoPoint(50.11, 8.68), 1),
                new DataCenter("b-ams", "Amsterdam", "R", new GeoPoint(52.37, 4.90), 1),
                new DataCenter("c-par", "Paris", "R", new GeoPoint(48.86, 2.35), 1),
                new DataCenter("d-sin", "Singapore", "R", new GeoPoint(1.35, 103.82), 1));
        DataCenterModel model = new DataCenterModel(List.of(new Region("R", "R")), dcs, LatencyModel.BACKBONE);
        double[] xyz = new double[3 * 4];
        GeoPoint[] places = {new GeoPoint(50.0, 8.0), new GeoPoint(51.0, 6.0), new GeoPoint(49.0, 3.0),
                new GeoPoint(48.0, 9.0)};
        for (int g = 0; g < places.length; g++) {
            System.arraycopy(places[g].unitVector(), 0, xyz, 3 * g, 3);
        }
        int[] sizes = {2, 2, 2, 2};
        int[] capacities = {2, 2, 2, 10};
        SiteCosts costs = SiteCosts.estimated(ACCESS, model, new int[]{0, 1, 2, 3}, xyz,
                List.of(Map.of(), Map.of(), Map.of(), Map.of()), 1);
        double[][] full = costs.dense();
        int[][] counts = optimal.assign(sizes, capacities, costs).dense(4);
        int onSingapore = 0;
        for (int[] row : counts) {
            onSingapore += row[3];
        }
        assertThat(onSingapore).isEqualTo(2);
        assertThat(BruteForce.totalCost(counts, full))
                .isCloseTo(BruteForce.totalCost(optimal.assign(sizes, capacities, full), full), within(1e-9));
    }

    private static void assertFeasible(World w, int[][] counts) {
        AssignerPropertiesTest.assertFeasible(w.sizes(), w.capacities(), counts);
    }
}
