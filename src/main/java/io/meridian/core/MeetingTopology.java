package io.meridian.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The cascade of a live meeting, computed from its aggregates ({@link MeetingSites}) alone: which
 * data center is primary, how the data centers used are linked, and the latency figures the meeting
 * view shows. Costs O(U²) in the data centers used (more for a tree to be found: see
 * {@link CascadeTopology}), never anything in the participants.
 *
 * <p>The tree is the meeting's fixed cascade when it has one; otherwise it is found as for a plan:
 * {@link CascadeTopology} over the used data centers, each weighted with its worst participant RTT
 * ({@code top1}) and the worst pair within it ({@code top1 + top2}), which minimises the worst
 * participant-to-participant latency. Store {@link #cascade()} and pass it back with the sites to
 * keep the tree steady between the openings and emptyings of data centers.
 *
 * <p>{@code worstPairLatencyMs} is {@code max(top1(a) + path(a, b) + top1(b))} over pairs of distinct
 * used data centers and {@code top1(a) + top2(a)} within each, the path measured along the tree's
 * backbone links: the largest latency between two participants, exactly, since the largest pair
 * through two sites is always between their worst participants. 0 below two participants.
 *
 * @param cascade      the tree, empty when nobody is in the meeting
 * @param cascadeLinks the tree's links with their backbone RTT, sorted by (from, to)
 * @param dataCenters  the data centers with participants, sorted by id
 * @param regionsUsed  their regions, sorted
 * @param summary      max and mean access RTT, and the worst pair latency through the tree
 */
public record MeetingTopology(Optional<MeetingSites.Cascade> cascade, List<RoutingPlan.CascadeLink> cascadeLinks,
                              List<RoutingPlan.DataCenterUse> dataCenters, List<String> regionsUsed,
                              RoutingPlan.Summary summary) {

    public MeetingTopology {
        cascadeLinks = List.copyOf(cascadeLinks);
        dataCenters = List.copyOf(dataCenters);
        regionsUsed = List.copyOf(regionsUsed);
    }

    /** The primary data center's id, when anyone is in the meeting. */
    public Optional<String> primary() {
        return cascade.map(MeetingSites.Cascade::primary);
    }

    /**
     * @throws IllegalArgumentException when a site with participants names a data center the model
     *                                  does not know (re-place its participants first)
     */
    public static MeetingTopology of(MeetingSites meeting, DataCenterModel model) {
        List<MeetingSites.Site> used = meeting.used();
        if (used.isEmpty()) {
            return new MeetingTopology(Optional.empty(), List.of(), List.of(), List.of(),
                    new RoutingPlan.Summary(0, 0, 0));
        }
        Sites s = Sites.of(used, model);
        Tree tree = meeting.cascade().map(c -> Tree.of(c, s)).orElseGet(() -> Tree.best(s));
        List<MeetingSites.Link> links = new ArrayList<>(tree.edges.size());
        List<RoutingPlan.CascadeLink> withRtt = new ArrayList<>(tree.edges.size());
        for (int[] e : tree.edges) {
            String from = model.dataCenter(s.dcs[e[0]]).id();
            String to = model.dataCenter(s.dcs[e[1]]).id();
            links.add(new MeetingSites.Link(from, to));
            withRtt.add(new RoutingPlan.CascadeLink(from, to, model.linkRttMs(s.dcs[e[0]], s.dcs[e[1]])));
        }
        withRtt.sort(Comparator.comparing(RoutingPlan.CascadeLink::from).thenComparing(RoutingPlan.CascadeLink::to));
        List<RoutingPlan.DataCenterUse> uses = new ArrayList<>(used.size());
        TreeSet<String> regions = new TreeSet<>();
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int participants = 0;
        for (int a = 0; a < used.size(); a++) {
            DataCenter dc = model.dataCenter(s.dcs[a]);
            MeetingSites.Site site = used.get(a);
            uses.add(new RoutingPlan.DataCenterUse(dc.id(), dc.region(), site.participants(), a == tree.primary));
            regions.add(dc.region());
            max = Math.max(max, site.top1RttMs());
            sum += site.rttSumMs();
            participants += site.participants();
        }
        double worst = participants < 2 ? 0 : Math.max(0, tree.worstPair(s));
        MeetingSites.Cascade cascade = new MeetingSites.Cascade(model.dataCenter(s.dcs[tree.primary]).id(), links);
        return new MeetingTopology(Optional.of(cascade), withRtt, uses, new ArrayList<>(regions),
                new RoutingPlan.Summary(max, sum / participants, worst));
    }

    /** The used sites of a meeting as arrays, in id order: model index, top1 and pair sum of each. */
    static final class Sites {
        final DataCenterModel model;
        final int[] dcs;
        final double[] top1;
        final double[] pairSum;

        private Sites(DataCenterModel model, int[] dcs, double[] top1, double[] pairSum) {
            this.model = model;
            this.dcs = dcs;
            this.top1 = top1;
            this.pairSum = pairSum;
        }

        static Sites of(List<MeetingSites.Site> used, DataCenterModel model) {
            int n = used.size();
            int[] dcs = new int[n];
            double[] top1 = new double[n];
            double[] pairSum = new double[n];
            for (int a = 0; a < n; a++) {
                MeetingSites.Site site = used.get(a);
                dcs[a] = model.indexOf(site.dataCenter());
                if (dcs[a] < 0) {
                    throw new IllegalArgumentException("the meeting uses " + site.dataCenter()
                            + ", which the model does not know");
                }
                top1[a] = site.top1RttMs();
                pairSum[a] = site.pairSumMs();
            }
            return new Sites(model, dcs, top1, pairSum);
        }

        int size() {
            return dcs.length;
        }

        /**
         * These sites plus data center {@code dc} (not among them) holding one participant at
         * {@code rttMs}, inserted at its place in id order; {@code at} receives its position.
         */
        Sites with(int dc, double rttMs, int[] at) {
            int n = dcs.length;
            int pos = 0;
            while (pos < n && dcs[pos] < dc) {
                pos++;
            }
            int[] d = new int[n + 1];
            double[] t = new double[n + 1];
            double[] p = new double[n + 1];
            for (int a = 0, b = 0; a <= n; a++) {
                if (a == pos) {
                    d[a] = dc;
                    t[a] = rttMs;
                    p[a] = Double.NEGATIVE_INFINITY;
                } else {
                    d[a] = dcs[b];
                    t[a] = top1[b];
                    p[a] = pairSum[b];
                    b++;
                }
            }
            at[0] = pos;
            return new Sites(model, d, t, p);
        }

        double link(int a, int b) {
            return model.linkRttMs(dcs[a], dcs[b]);
        }
    }

    /** A spanning tree over {@link Sites}, by position: its primary and its edges {from, to}. */
    static final class Tree {
        final int primary;
        final List<int[]> edges;
        private final int[][] neighbours;

        private Tree(int n, int primary, List<int[]> edges) {
            this.primary = primary;
            this.edges = edges;
            int[] degree = new int[n];
            for (int[] e : edges) {
                degree[e[0]]++;
                degree[e[1]]++;
            }
            this.neighbours = new int[n][];
            for (int a = 0; a < n; a++) {
                neighbours[a] = new int[degree[a]];
                degree[a] = 0;
            }
            for (int[] e : edges) {
                neighbours[e[0]][degree[e[0]]++] = e[1];
                neighbours[e[1]][degree[e[1]]++] = e[0];
            }
        }

        /** The minimum-worst-pair tree, as for plans. */
        static Tree best(Sites s) {
            CascadeTopology.Tree t = CascadeTopology.best(s.size(), s.top1, s.pairSum, s::link);
            return new Tree(s.size(), t.primary(), t.links());
        }

        /** A fixed cascade, mapped onto the sites' positions (it spans exactly them). */
        static Tree of(MeetingSites.Cascade cascade, Sites s) {
            List<int[]> edges = new ArrayList<>(cascade.links().size());
            for (MeetingSites.Link l : cascade.links()) {
                edges.add(new int[]{position(s, l.from()), position(s, l.to())});
            }
            return new Tree(s.size(), position(s, cascade.primary()), edges);
        }

        private static int position(Sites s, String id) {
            int dc = s.model.indexOf(id);
            for (int a = 0; a < s.size(); a++) {
                if (s.dcs[a] == dc) {
                    return a;
                }
            }
            throw new IllegalArgumentException("the cascade names " + id + ", which the meeting does not use");
        }

        /** Backbone path length from site {@code from} to every site along the tree: O(U). */
        double[] pathsFrom(int from, Sites s) {
            double[] d = new double[s.size()];
            int[] stack = new int[s.size()];
            int[] parent = new int[s.size()];
            int top = 0;
            stack[top++] = from;
            parent[from] = -1;
            while (top > 0) {
                int a = stack[--top];
                for (int b : neighbours[a]) {
                    if (b != parent[a]) {
                        parent[b] = a;
                        d[b] = d[a] + s.link(a, b);
                        stack[top++] = b;
                    }
                }
            }
            return d;
        }

        /**
         * The farthest any participant of the meeting is from site {@code from}, through the tree:
         * {@code max over sites b of path(from, b) + top1(b)}, leaving out site {@code skip} (-1: none).
         */
        double reach(int from, Sites s, int skip) {
            double[] d = pathsFrom(from, s);
            double reach = Double.NEGATIVE_INFINITY;
            for (int b = 0; b < s.size(); b++) {
                if (b != skip) {
                    reach = Math.max(reach, d[b] + s.top1[b]);
                }
            }
            return reach;
        }

        /** The worst latency between two participants through the tree (-infinity below two). */
        double worstPair(Sites s) {
            double worst = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < s.size(); a++) {
                worst = Math.max(worst, s.pairSum[a]);
                double[] d = pathsFrom(a, s);
                for (int b = a + 1; b < s.size(); b++) {
                    worst = Math.max(worst, s.top1[a] + d[b] + s.top1[b]);
                }
            }
            return worst;
        }
    }
}
