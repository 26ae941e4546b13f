package io.meridian.core;

import java.util.Arrays;

/**
 * A k-d tree over the data centers' unit vectors: the nearest sites to a location by squared chord
 * ({@link GeoPoint#chordSquared}), without computing the chord to every site. Built once per model.
 *
 * <p>The squared chord is the squared Euclidean distance between the two unit vectors in space, so
 * the usual box bound is exact: for a box {@code [lo, hi]} on each axis and a query point q, every
 * point s inside has {@code |q_i - s_i| ≥ gap_i}, where {@code gap_i} is q's distance to the box on
 * that axis (0 inside). The bound is evaluated in the same order as the key,
 * {@code (gap_x² + gap_y²) + gap_z²}, and each rounded difference, square and sum is monotone, so
 * {@code key(q, s) ≥ bound} holds for the floating-point numbers, not only in exact arithmetic. A
 * subtree whose bound is above the n-th best key found so far cannot hold one of the n nearest; ties
 * of the key are visited and go to the lower position, so the answer is exactly the n smallest by
 * (key, position).
 */
final class SiteIndex {

    private final double[] xyz;
    /** Model indices in tree order: the node of range [from, to) is at its middle. */
    private final int[] point;
    /** The bounding box of each node's range, {x, y, z} low then high, 6 per node. */
    private final double[] box;

    private SiteIndex(double[] xyz, int[] point, double[] box) {
        this.xyz = xyz;
        this.point = point;
        this.box = box;
    }

    static SiteIndex of(double[][] unitVectors) {
        int n = unitVectors.length;
        double[] xyz = new double[3 * n];
        int[] point = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(unitVectors[i], 0, xyz, 3 * i, 3);
            point[i] = i;
        }
        double[] box = new double[6 * n];
        build(xyz, point, box, 0, n);
        return new SiteIndex(xyz, point, box);
    }

    /** Orders point[from, to) around its middle on its widest axis, and records each range's box. */
    private static void build(double[] xyz, int[] point, double[] box, int from, int to) {
        if (from >= to) {
            return;
        }
        int mid = (from + to) >>> 1;
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = from; i < to; i++) {
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], xyz[3 * point[i] + a]);
                hi[a] = Math.max(hi[a], xyz[3 * point[i] + a]);
            }
        }
        for (int a = 0; a < 3; a++) {
            box[6 * mid + a] = lo[a];
            box[6 * mid + 3 + a] = hi[a];
        }
        int axis = 0;
        for (int a = 1; a < 3; a++) {
            if (hi[a] - lo[a] > hi[axis] - lo[axis]) {
                axis = a;
            }
        }
        // sort the range on the axis (ties by index: the tree does not depend on the input order)
        int splitAxis = axis;
        Integer[] range = new Integer[to - from];
        for (int i = from; i < to; i++) {
            range[i - from] = point[i];
        }
        Arrays.sort(range, (p, q) -> {
            int c = Double.compare(xyz[3 * p + splitAxis], xyz[3 * q + splitAxis]);
            return c != 0 ? c : Integer.compare(p, q);
        });
        for (int i = from; i < to; i++) {
            point[i] = range[i - from];
        }
        build(xyz, point, box, from, mid);
        build(xyz, point, box, mid + 1, to);
    }

    /** The result of a search: the selected positions and keys, ascending by (key, position). */
    static final class Nearest {
        int[] position = new int[8];
        double[] key = new double[8];
        int size;
        private int wanted;

        void reset(int n) {
            if (position.length < n) {
                position = new int[n];
                key = new double[n];
            }
            size = 0;
            wanted = n;
        }

        /** The key a candidate must not exceed to be considered (+infinity until n are found). */
        double limit() {
            return size < wanted ? Double.POSITIVE_INFINITY : key[size - 1];
        }

        void offer(double k, int pos) {
            if (size == wanted) {
                double last = key[size - 1];
                if (k > last || (k == last && pos > position[size - 1])) {
                    return;
                }
                size--;
            }
            int i = size++;
            while (i > 0 && (key[i - 1] > k || (key[i - 1] == k && position[i - 1] > pos))) {
                key[i] = key[i - 1];
                position[i] = position[i - 1];
                i--;
            }
            key[i] = k;
            position[i] = pos;
        }
    }

    /**
     * The {@code n} sites nearest to the unit vector q among those with {@code positionOf[index] ≥ 0},
     * as (position, key) in {@code out}, ascending by (key, position); fewer when fewer sites qualify.
     */
    void nearest(double qx, double qy, double qz, int n, int[] positionOf, Nearest out) {
        out.reset(n);
        if (n > 0 && point.length > 0) {
            int root = point.length >>> 1;
            search(qx, qy, qz, positionOf, out, 0, point.length, bound(qx, qy, qz, root));
        }
    }

    /** Searches the range [from, to), whose box's bound is {@code lowest}. */
    private void search(double qx, double qy, double qz, int[] positionOf, Nearest out, int from, int to,
                        double lowest) {
        if (from >= to || lowest > out.limit()) {
            return;
        }
        int mid = (from + to) >>> 1;
        double left = from < mid ? bound(qx, qy, qz, (from + mid) >>> 1) : Double.POSITIVE_INFINITY;
        double right = mid + 1 < to ? bound(qx, qy, qz, (mid + 1 + to) >>> 1) : Double.POSITIVE_INFINITY;
        // the nearer half first, so the limit tightens before the node's own point and the other
        // half are looked at
        boolean leftFirst = left <= right;
        if (leftFirst) {
            search(qx, qy, qz, positionOf, out, from, mid, left);
        } else {
            search(qx, qy, qz, positionOf, out, mid + 1, to, right);
        }
        int site = point[mid];
        int pos = positionOf[site];
        if (pos >= 0) {
            out.offer(GeoPoint.chordSquared(qx, qy, qz, xyz[3 * site], xyz[3 * site + 1], xyz[3 * site + 2]), pos);
        }
        if (leftFirst) {
            search(qx, qy, qz, positionOf, out, mid + 1, to, right);
        } else {
            search(qx, qy, qz, positionOf, out, from, mid, left);
        }
    }

    /** A lower bound on the key from q to every point of the range whose node is {@code node}. */
    private double bound(double qx, double qy, double qz, int node) {
        int b = 6 * node;
        double dx = gap(qx, box[b], box[b + 3]);
        double dy = gap(qy, box[b + 1], box[b + 4]);
        double dz = gap(qz, box[b + 2], box[b + 5]);
        return dx * dx + dy * dy + dz * dz;
    }

    private static double gap(double q, double lo, double hi) {
        if (q < lo) {
            return lo - q;
        }
        return q > hi ? q - hi : 0;
    }
}
