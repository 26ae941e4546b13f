package io.meridian.transparency.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Which runs of leaves make up a Merkle root, an inclusion path or a consistency proof of RFC 9162,
 * as ranges of leaf indices; and how a range splits into complete, aligned subtrees ({@link Node}s),
 * the only hashes a store has to keep. Pure arithmetic: no hashing happens here except in
 * {@link #hash}, which folds node hashes it is given.
 *
 * <p>Every range RFC 9162's recursions produce starts at a multiple of a power of two at least as
 * large as the range, so it is the concatenation of complete subtrees of decreasing size, one per
 * set bit of its length; its Merkle hash folds their hashes from the right.
 */
public final class TreeShape {

    private TreeShape() {
    }

    /** Leaves {@code [start, start + size)}, size &ge; 1. */
    public record Range(long start, long size) {
        public Range {
            if (start < 0 || size < 1 || start + size < start) {
                throw new IllegalArgumentException("bad range " + start + "+" + size);
            }
        }
    }

    /** The complete subtree of {@code 2^level} leaves starting at leaf {@code index << level}. */
    public record Node(int level, long index) {
        public Node {
            if (level < 0 || level > 62 || index < 0) {
                throw new IllegalArgumentException("bad node " + level + "/" + index);
            }
        }

        /** First leaf index the node covers. */
        public long firstLeaf() {
            return index << level;
        }
    }

    /**
     * The ranges whose hashes are the audit path of leaf {@code leafIndex} in a tree of
     * {@code treeSize} leaves (RFC 9162 section 2.1.3.1), nearest the leaf first.
     */
    public static List<Range> inclusionPath(long leafIndex, long treeSize) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is not in a tree of size " + treeSize);
        }
        List<Range> topDown = new ArrayList<>();
        long start = 0;
        long size = treeSize;
        long m = leafIndex;
        while (size > 1) {
            long k = Merkle.splitPoint(size);
            if (m < k) {
                topDown.add(new Range(start + k, size - k));
                size = k;
            } else {
                topDown.add(new Range(start, k));
                start += k;
                m -= k;
                size -= k;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    /**
     * The ranges whose hashes prove that the tree of {@code first} leaves is a prefix of the tree
     * of {@code second} leaves (RFC 9162 section 2.1.4.1, PROOF(m, D[n])), in proof order. Empty
     * when the sizes are equal.
     */
    public static List<Range> consistencyProof(long first, long second) {
        if (first < 1 || second < first) {
            throw new IllegalArgumentException("no consistency proof from " + first + " to " + second);
        }
        List<Range> topDown = new ArrayList<>();
        long start = 0;
        long size = second;
        long m = first;
        boolean whole = true;
        while (m != size) {
            long k = Merkle.splitPoint(size);
            if (m <= k) {
                topDown.add(new Range(start + k, size - k));
                size = k;
            } else {
                topDown.add(new Range(start, k));
                start += k;
                m -= k;
                size -= k;
                whole = false;
            }
        }
        List<Range> proof = new ArrayList<>(topDown.size() + 1);
        if (!whole) {
            proof.add(new Range(start, size));
        }
        Collections.reverse(topDown);
        proof.addAll(topDown);
        return proof;
    }

    /** The complete subtrees a range consists of, left to right (largest first). */
    public static List<Node> nodesOf(Range range) {
        List<Node> nodes = new ArrayList<>(Long.bitCount(range.size()));
        long start = range.start();
        long size = range.size();
        while (size > 0) {
            long part = Long.bitCount(size) == 1 ? size : Merkle.splitPoint(size);
            if (start % part != 0) {
                throw new IllegalArgumentException("range " + range + " is not aligned for a Merkle subtree");
            }
            int level = Long.numberOfTrailingZeros(part);
            nodes.add(new Node(level, start >> level));
            start += part;
            size -= part;
        }
        return nodes;
    }

    /** The Merkle hash of a range, from the hashes of its complete subtrees. */
    public static byte[] hash(Range range, Function<Node, byte[]> nodeHashes) {
        List<Node> nodes = nodesOf(range);
        byte[] h = nodeHashes.apply(nodes.get(nodes.size() - 1));
        for (int i = nodes.size() - 2; i >= 0; i--) {
            h = Merkle.nodeHash(nodeHashes.apply(nodes.get(i)), h);
        }
        return h;
    }
}
