package io.meridian.core;

import java.util.Arrays;

/**
 * Where the participants of each group go: for group g, a few (site, count) entries in ascending
 * site order, counts positive. The sparse form of an assigner's {@code counts[g][k]}: a group uses
 * one site, or a few when it is split, so a plan holds no groups × sites table.
 */
public final class Placement {

    private final int[] start;
    private final int[] site;
    private final int[] count;

    private Placement(int[] start, int[] site, int[] count) {
        this.start = start;
        this.site = site;
        this.count = count;
    }

    /** The placement of a dense {@code counts[g][k]} table. */
    public static Placement of(int[][] counts) {
        Builder b = new Builder(counts.length);
        for (int[] row : counts) {
            for (int k = 0; k < row.length; k++) {
                if (row[k] > 0) {
                    b.add(k, row[k]);
                }
            }
            b.endGroup();
        }
        return b.build();
    }

    /** Every group whole on one site. */
    static Placement single(int[] sizes, int onSite) {
        int[] start = new int[sizes.length + 1];
        int[] site = new int[sizes.length];
        for (int g = 0; g < sizes.length; g++) {
            start[g + 1] = g + 1;
            site[g] = onSite;
        }
        return new Placement(start, site, sizes.clone());
    }

    public int groups() {
        return start.length - 1;
    }

    /** Entries over all groups: group g's are numbers {@code [sum of entries(0..g), ... + entries(g))}. */
    int size() {
        return start[start.length - 1];
    }

    /** How many sites group g is placed on. */
    public int entries(int g) {
        return start[g + 1] - start[g];
    }

    public int site(int g, int i) {
        return site[start[g] + i];
    }

    public int count(int g, int i) {
        return count[start[g] + i];
    }

    /** The dense table, {@code counts[g][k]} over {@code sites} sites. */
    public int[][] dense(int sites) {
        int[][] out = new int[groups()][sites];
        for (int g = 0; g < groups(); g++) {
            for (int i = start[g]; i < start[g + 1]; i++) {
                out[g][site[i]] += count[i];
            }
        }
        return out;
    }

    /** Builds a placement group by group; within a group, entries in ascending site order. */
    static final class Builder {
        private final int[] start;
        private int[] site;
        private int[] count;
        private int groups;
        private int size;

        Builder(int groups) {
            this.start = new int[groups + 1];
            this.site = new int[Math.max(4, groups)];
            this.count = new int[site.length];
        }

        void add(int onSite, int participants) {
            if (size == site.length) {
                site = Arrays.copyOf(site, 2 * size);
                count = Arrays.copyOf(count, 2 * size);
            }
            site[size] = onSite;
            count[size] = participants;
            size++;
        }

        void endGroup() {
            start[++groups] = size;
        }

        Placement build() {
            if (groups != start.length - 1) {
                throw new IllegalStateException("placement built before every group ended");
            }
            return new Placement(start, site, count);
        }
    }
}
