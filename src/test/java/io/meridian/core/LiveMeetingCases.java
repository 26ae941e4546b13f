package io.meridian.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Random live meetings for the join and move properties, and the explicit-list computations the
 * oracles use: every participant of a meeting listed with its data center and RTT, every worst pair
 * computed over those lists and the tree's paths (Floyd–Warshall), never from the aggregates.
 */
final class LiveMeetingCases {

    static final List<String> REGIONS = List.of("AA", "BB", "CC", "DD");
    static final LatencyModel ACCESS = LatencyModel.DEFAULT;

    private LiveMeetingCases() {
    }

    /** One participant already in the meeting: where it is and its access RTT there. */
    record Member(String id, String dataCenter, double rttMs) {
    }

    /**
     * A live meeting in a random world.
     *
     * @param members  everyone in the meeting, explicitly
     * @param reserved places the meeting holds through a reservation, by data center
     * @param cascade  a fixed cascade over the used data centers, or empty (computed)
     */
    record Case(DataCenterModel model, CapacitySnapshot snapshot, RegionPolicy policy, List<Member> members,
                Map<String, Integer> reserved, Optional<MeetingSites.Cascade> cascade, Participant joining,
                RoutingOptions options) {

        MeetingSites sites() {
            return LiveMeetingCases.sites(members, reserved, cascade);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("policy=").append(policy.blockedRegions()).append('/')
                    .append(policy.allowedRegions()).append(" gain=").append(options.cascadeMinGainMs())
                    .append(" joining=").append(joining).append(" cascade=").append(cascade)
                    .append(" reserved=").append(reserved);
            for (int i = 0; i < model.size(); i++) {
                DataCenter dc = model.dataCenter(i);
                sb.append("\n  ").append(dc).append(' ').append(snapshot.state(i)).append(" headroom=")
                        .append(snapshot.headroom(i));
            }
            members.forEach(m -> sb.append("\n  ").append(m));
            return sb.toString();
        }
    }

    /** The aggregates of explicit members, as the ledger would keep them. */
    static MeetingSites sites(List<Member> members, Map<String, Integer> reserved,
                              Optional<MeetingSites.Cascade> cascade) {
        Map<String, List<Double>> rtts = new TreeMap<>();
        for (Member m : members) {
            rtts.computeIfAbsent(m.dataCenter(), k -> new ArrayList<>()).add(m.rttMs());
        }
        reserved.keySet().forEach(dc -> rtts.computeIfAbsent(dc, k -> new ArrayList<>()));
        List<MeetingSites.Site> sites = new ArrayList<>();
        rtts.forEach((dc, list) -> sites.add(MeetingSites.Site.of(dc, list, reserved.getOrDefault(dc, 0))));
        return new MeetingSites(sites, cascade);
    }

    static GeoPoint point(Random random) {
        return new GeoPoint(Math.round((random.nextDouble() * 130 - 60) * 10) / 10.0,
                Math.round((random.nextDouble() * 360 - 180) * 10) / 10.0);
    }

    /**
     * A random case: up to {@code maxDcs} data centers, {@code members} participants already in, the
     * meeting's data centers chosen among the first {@code spread} of them (so that meetings of
     * thousands still use few data centers).
     */
    static Case random(Random random, int maxDcs, int members, int spread) {
        int n = 1 + random.nextInt(maxDcs);
        List<DataCenter> dcs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dcs.add(new DataCenter("dc-" + i, "City", REGIONS.get(random.nextInt(REGIONS.size())), point(random),
                    4 + random.nextInt(60)));
        }
        DataCenterModel model = new DataCenterModel(REGIONS.stream().map(r -> new Region(r, r)).toList(), dcs,
                LatencyModel.BACKBONE);
        Map<String, DataCenterState> states = new HashMap<>();
        for (DataCenter dc : dcs) {
            int roll = random.nextInt(10);
            DataCenterStatus status = roll == 0 ? DataCenterStatus.DOWN : roll == 1 ? DataCenterStatus.DRAINING
                    : DataCenterStatus.ACTIVE;
            states.put(dc.id(), new DataCenterState(status, random.nextInt(dc.capacity() + 2), random.nextInt(4),
                    Optional.of(Instant.EPOCH), random.nextInt(12) == 0));
        }
        CapacitySnapshot snapshot = new CapacitySnapshot(model, 0.5 + random.nextInt(6) / 10.0, states);
        TreeSet<String> blocked = new TreeSet<>();
        if (random.nextInt(3) == 0) {
            blocked.add(REGIONS.get(random.nextInt(REGIONS.size())));
        }
        Optional<SortedSet<String>> allowed = Optional.empty();
        if (random.nextInt(4) == 0) {
            TreeSet<String> a = new TreeSet<>();
            for (String r : REGIONS) {
                if (random.nextBoolean()) {
                    a.add(r);
                }
            }
            allowed = Optional.of(a);
        }
        RegionPolicy policy = RegionPolicy.merge(List.of(new RegionPolicy.Restriction("request", blocked, allowed)));
        int used = Math.min(n, Math.max(1, spread));
        List<Member> list = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            // RTTs on a coarse grid now and then, so that ties happen
            double rtt = random.nextInt(4) == 0 ? 10 * (1 + random.nextInt(8)) : 1 + random.nextInt(3000) / 10.0;
            list.add(new Member("m" + i, "dc-" + random.nextInt(used), rtt));
        }
        Map<String, Integer> reserved = new TreeMap<>();
        for (DataCenter dc : dcs) {
            if (random.nextInt(4) == 0) {
                reserved.put(dc.id(), 1 + random.nextInt(3));
            }
        }
        Optional<MeetingSites.Cascade> cascade = Optional.empty();
        List<String> usedIds = new ArrayList<>(new TreeSet<>(list.stream().map(Member::dataCenter).toList()));
        if (!usedIds.isEmpty() && random.nextBoolean()) {
            cascade = Optional.of(randomTree(random, usedIds));
        }
        Map<String, Double> measured = new HashMap<>();
        if (random.nextInt(3) == 0) {
            measured.put("dc-" + random.nextInt(n), 1 + random.nextInt(2000) / 10.0);
        }
        Participant joining = new Participant("joiner", point(random), measured);
        double gain = List.of(0.0, 10.0, 30.0, 30.0, 100.0).get(random.nextInt(5));
        return new Case(model, snapshot, policy, list, reserved, cascade, joining, new RoutingOptions(gain));
    }

    /** A random spanning tree over the ids: each id after the first hangs off an earlier one. */
    static MeetingSites.Cascade randomTree(Random random, List<String> ids) {
        List<MeetingSites.Link> links = new ArrayList<>();
        for (int i = 1; i < ids.size(); i++) {
            links.add(new MeetingSites.Link(ids.get(random.nextInt(i)), ids.get(i)));
        }
        return new MeetingSites.Cascade(ids.get(random.nextInt(ids.size())), links);
    }

    /** Whether data center {@code i} may take this meeting's joiner, restated from the contract. */
    static boolean takesJoins(Case c, int i) {
        DataCenter dc = c.model().dataCenter(i);
        DataCenterState s = c.snapshot().state(i);
        return c.policy().permits(dc.region()) && s.status() == DataCenterStatus.ACTIVE && !s.stale()
                && c.snapshot().headroom(i) + c.reserved().getOrDefault(dc.id(), 0) > 0;
    }

    static double rtt(Participant p, DataCenter dc) {
        Double measured = p.measuredRttMs().get(dc.id());
        return measured != null ? measured : ACCESS.rttMs(p.location(), dc.location());
    }

    /** The explicit tree: ids of the data centers it spans (sorted) and its links as id pairs. */
    record ExplicitTree(List<String> ids, List<String[]> links) {
        /** Path lengths along the tree's links between every pair of its data centers. */
        double[][] paths(DataCenterModel model) {
            List<int[]> edges = new ArrayList<>();
            for (String[] l : links) {
                edges.add(new int[]{ids.indexOf(l[0]), ids.indexOf(l[1])});
            }
            return CascadeTopologyTest.paths(ids.size(), edges,
                    (a, b) -> model.linkRttMs(model.indexOf(ids.get(a)), model.indexOf(ids.get(b))));
        }
    }

    /**
     * The minimum-worst-pair tree over the members' data centers, from the explicit lists: each data
     * center's worst RTT and worst pair computed by scanning every member on it.
     */
    static ExplicitTree bestTree(DataCenterModel model, List<Member> members) {
        List<String> ids = new ArrayList<>(new TreeSet<>(members.stream().map(Member::dataCenter).toList()));
        int n = ids.size();
        double[] top1 = new double[n];
        double[] pair = new double[n];
        Arrays.fill(top1, Double.NEGATIVE_INFINITY);
        Arrays.fill(pair, Double.NEGATIVE_INFINITY);
        for (int a = 0; a < n; a++) {
            List<Double> rtts = new ArrayList<>();
            for (Member m : members) {
                if (m.dataCenter().equals(ids.get(a))) {
                    rtts.add(m.rttMs());
                }
            }
            for (int i = 0; i < rtts.size(); i++) {
                top1[a] = Math.max(top1[a], rtts.get(i));
                for (int j = i + 1; j < rtts.size(); j++) {
                    pair[a] = Math.max(pair[a], rtts.get(i) + rtts.get(j));
                }
            }
        }
        CascadeTopology.Tree tree = CascadeTopology.best(n, top1, pair,
                (a, b) -> model.linkRttMs(model.indexOf(ids.get(a)), model.indexOf(ids.get(b))));
        List<String[]> links = new ArrayList<>();
        for (int[] e : tree.links()) {
            links.add(new String[]{ids.get(e[0]), ids.get(e[1])});
        }
        return new ExplicitTree(ids, links);
    }

    static ExplicitTree fixedTree(MeetingSites.Cascade cascade, List<Member> members) {
        List<String> ids = new ArrayList<>(new TreeSet<>(members.stream().map(Member::dataCenter).toList()));
        List<String[]> links = new ArrayList<>();
        for (MeetingSites.Link l : cascade.links()) {
            links.add(new String[]{l.from(), l.to()});
        }
        return new ExplicitTree(ids, links);
    }

    /**
     * The worst latency between {@code who} (on {@code dc} at {@code rttMs}) and every other member,
     * through the tree: {@code max over q != who of rtt + path(dc, dc(q)) + rtt(q)}, by scanning the
     * members.
     */
    static double worstPairOf(String who, String dc, double rttMs, List<Member> members, ExplicitTree tree,
                              DataCenterModel model) {
        double[][] d = tree.paths(model);
        int at = tree.ids().indexOf(dc);
        double worst = Double.NEGATIVE_INFINITY;
        for (Member q : members) {
            if (!q.id().equals(who)) {
                worst = Math.max(worst, rttMs + d[at][tree.ids().indexOf(q.dataCenter())] + q.rttMs());
            }
        }
        return worst;
    }

    /** The worst latency between any two members through the tree, by scanning every pair. */
    static double worstPair(List<Member> members, ExplicitTree tree, DataCenterModel model) {
        double[][] d = tree.paths(model);
        double worst = 0;
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                Member p = members.get(i);
                Member q = members.get(j);
                worst = Math.max(worst, p.rttMs() + d[tree.ids().indexOf(p.dataCenter())]
                        [tree.ids().indexOf(q.dataCenter())] + q.rttMs());
            }
        }
        return worst;
    }
}
