package io.meridian.transparency.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Merkle tree kept as the hashes of its leaves plus the hashes of its complete subtrees at every
 * {@value #STRIDE}th level (16, 256, 4096, ... leaves): about one stored node per 15 leaves. Any
 * complete subtree's hash is then at most 8 stored hashes away (a level-3 node folds the 8 leaves
 * below it), so a root or a proof costs O(log n) reads, never a pass over the log.
 *
 * <p>Reads go through {@link Storage} in bulk: a proof first works out every stored hash it needs,
 * asks for them in one request per level, then folds them.
 */
public final class StoredTree {

    /** Levels kept: 0 (the leaves), 4, 8, 12, ... */
    public static final int STRIDE = 4;
    /** Children of a stored node in the stored level below it. */
    public static final int FAN_OUT = 1 << STRIDE;

    /** Where the stored hashes are. */
    public interface Storage {
        /**
         * The stored hashes of {@code level} (0 for leaves, else a multiple of {@link #STRIDE}) at
         * every index of the given ranges ({@code [from, to)}), keyed by index; absent when not stored.
         */
        Map<Long, byte[]> read(int level, List<long[]> ranges);
    }

    /** A hash the store should have and has not: the store is damaged or a size is wrong. */
    public static final class MissingHashException extends IllegalStateException {
        public MissingHashException(int level, long index) {
            super("the log's storage has no hash for level " + level + ", index " + index);
        }
    }

    private final Storage storage;

    public StoredTree(Storage storage) {
        this.storage = storage;
    }

    /** The stored level a node's hash is computed from. */
    static int baseLevel(int level) {
        return level - level % STRIDE;
    }

    /** The root of the first {@code size} leaves. */
    public byte[] root(long size) {
        if (size == 0) {
            return Merkle.emptyRoot();
        }
        return hashes(List.of(new TreeShape.Range(0, size))).get(0);
    }

    /** The audit path of leaf {@code index} in the tree of {@code size} leaves. */
    public List<byte[]> inclusion(long index, long size) {
        return hashes(TreeShape.inclusionPath(index, size));
    }

    /** The consistency proof from size {@code first} to size {@code second}. */
    public List<byte[]> consistency(long first, long second) {
        return hashes(TreeShape.consistencyProof(first, second));
    }

    /** The Merkle hashes of the ranges, from as few bulk reads as the layout allows. */
    public List<byte[]> hashes(List<TreeShape.Range> ranges) {
        Set<TreeShape.Node> nodes = new LinkedHashSet<>();
        for (TreeShape.Range r : ranges) {
            nodes.addAll(TreeShape.nodesOf(r));
        }
        Map<Integer, List<long[]>> reads = new TreeMap<>();
        for (TreeShape.Node n : nodes) {
            int base = baseLevel(n.level());
            long span = 1L << (n.level() - base);
            reads.computeIfAbsent(base, b -> new ArrayList<>()).add(new long[]{n.index() * span, (n.index() + 1) * span});
        }
        Map<Integer, Map<Long, byte[]>> stored = new HashMap<>();
        for (Map.Entry<Integer, List<long[]>> e : reads.entrySet()) {
            stored.put(e.getKey(), storage.read(e.getKey(), merge(e.getValue())));
        }
        Map<TreeShape.Node, byte[]> computed = new HashMap<>();
        for (TreeShape.Node n : nodes) {
            computed.put(n, compute(n, stored.get(baseLevel(n.level()))));
        }
        List<byte[]> out = new ArrayList<>(ranges.size());
        for (TreeShape.Range r : ranges) {
            out.add(TreeShape.hash(r, computed::get));
        }
        return out;
    }

    private static byte[] compute(TreeShape.Node n, Map<Long, byte[]> base) {
        int baseLevel = baseLevel(n.level());
        int height = n.level() - baseLevel;
        long first = n.index() << height;
        List<byte[]> row = new ArrayList<>(1 << height);
        for (long i = first; i < first + (1L << height); i++) {
            byte[] h = base.get(i);
            if (h == null) {
                throw new MissingHashException(baseLevel, i);
            }
            row.add(h);
        }
        return fold(row);
    }

    /** The hash of a complete subtree over {@code row} (a power of two of hashes, left to right). */
    public static byte[] fold(List<byte[]> row) {
        if (Integer.bitCount(row.size()) != 1) {
            throw new IllegalArgumentException("a complete subtree has a power of two of children, not " + row.size());
        }
        List<byte[]> level = row;
        while (level.size() > 1) {
            List<byte[]> up = new ArrayList<>(level.size() / 2);
            for (int i = 0; i < level.size(); i += 2) {
                up.add(Merkle.nodeHash(level.get(i), level.get(i + 1)));
            }
            level = up;
        }
        return level.get(0);
    }

    private static List<long[]> merge(List<long[]> ranges) {
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1]) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new long[]{r[0], r[1]});
            }
        }
        return merged;
    }

    /**
     * The stored nodes that appending leaves {@code [size, size + added.size())} completes, by level
     * (4, 8, ...) and index. Children older than the append come from storage: at most 15 per level.
     *
     * @param size  leaves before the append
     * @param added hashes of the appended leaves, in leaf order
     */
    public Map<Integer, Map<Long, byte[]>> completedBy(long size, List<byte[]> added) {
        Map<Integer, Map<Long, byte[]>> out = new TreeMap<>();
        Map<Long, byte[]> fresh = new HashMap<>();
        for (int i = 0; i < added.size(); i++) {
            fresh.put(size + i, added.get(i));
        }
        long lo = size;
        long hi = size + added.size();
        for (int level = STRIDE; level <= 60; level += STRIDE) {
            long firstNode = lo / FAN_OUT;
            long endNode = hi / FAN_OUT;
            if (firstNode >= endNode) {
                break;
            }
            Map<Long, byte[]> children = new HashMap<>(fresh);
            long oldFrom = firstNode * FAN_OUT;
            if (oldFrom < lo) {
                children.putAll(storage.read(level - STRIDE, List.of(new long[]{oldFrom, lo})));
            }
            Map<Long, byte[]> made = new HashMap<>();
            for (long j = firstNode; j < endNode; j++) {
                List<byte[]> row = new ArrayList<>(FAN_OUT);
                for (long c = j * FAN_OUT; c < (j + 1) * FAN_OUT; c++) {
                    byte[] h = children.get(c);
                    if (h == null) {
                        throw new MissingHashException(level - STRIDE, c);
                    }
                    row.add(h);
                }
                made.put(j, fold(row));
            }
            out.put(level, made);
            fresh = made;
            lo = firstNode;
            hi = endNode;
        }
        return out;
    }
}
