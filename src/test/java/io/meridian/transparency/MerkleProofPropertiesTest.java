package io.meridian.transparency;

import io.meridian.transparency.log.Merkle;
import io.meridian.transparency.log.StoredTree;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log's Merkle tree (stored as leaves plus every fourth level, built by appends in batches)
 * against the independent RFC 9162 reference in {@link Rfc9162}: same roots, same proofs, and every
 * proof verified by both verifiers; a proof altered in any way verifies in neither.
 */
class MerkleProofPropertiesTest {

    /** An in-memory {@link StoredTree.Storage}, filled the way the leader fills the tables. */
    static final class MemoryTree implements StoredTree.Storage {
        final Map<Integer, Map<Long, byte[]>> levels = new HashMap<>();
        long size;

        @Override
        public Map<Long, byte[]> read(int level, List<long[]> ranges) {
            Map<Long, byte[]> out = new HashMap<>();
            Map<Long, byte[]> stored = levels.getOrDefault(level, Map.of());
            for (long[] r : ranges) {
                for (long i = r[0]; i < r[1]; i++) {
                    if (stored.containsKey(i)) {
                        out.put(i, stored.get(i));
                    }
                }
            }
            return out;
        }

        void append(List<byte[]> leafHashes) {
            Map<Integer, Map<Long, byte[]>> made = new StoredTree(this).completedBy(size, leafHashes);
            Map<Long, byte[]> leaves = levels.computeIfAbsent(0, l -> new HashMap<>());
            for (int i = 0; i < leafHashes.size(); i++) {
                leaves.put(size + i, leafHashes.get(i));
            }
            made.forEach((level, nodes) -> levels.computeIfAbsent(level, l -> new HashMap<>()).putAll(nodes));
            size += leafHashes.size();
        }
    }

    static List<byte[]> leafHashes(int n, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] entry = new byte[1 + random.nextInt(40)];
            random.nextBytes(entry);
            out.add(Rfc9162.leaf(entry));
        }
        return out;
    }

    /** The tree appended in random batches, as successive sequencing steps build it. */
    static MemoryTree built(List<byte[]> leaves, long seed) {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        MemoryTree tree = new MemoryTree();
        int at = 0;
        while (at < leaves.size()) {
            int batch = 1 + random.nextInt(random.nextBoolean() ? 5 : 300);
            int to = Math.min(leaves.size(), at + batch);
            tree.append(leaves.subList(at, to));
            at = to;
        }
        return tree;
    }

    @Provide
    Arbitrary<Integer> sizes() {
        List<Integer> special = new ArrayList<>(List.of(1, 2, 3));
        for (int k = 2; k <= 12; k++) {
            special.addAll(List.of((1 << k) - 1, 1 << k, (1 << k) + 1));
        }
        return Arbitraries.oneOf(Arbitraries.of(special), Arbitraries.integers().between(1, 3000));
    }

    @Property(tries = 250)
    void rootsAndInclusionProofsAgreeWithTheReference(@ForAll("sizes") int n, @ForAll long seed,
                                                      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int pick) {
        List<byte[]> leaves = leafHashes(n, seed);
        StoredTree tree = new StoredTree(built(leaves, seed));
        byte[] root = Rfc9162.mth(leaves);
        assertThat(tree.root(n)).isEqualTo(root);
        for (int m : new int[]{pick % n, 0, n - 1}) {
            List<byte[]> path = tree.inclusion(m, n);
            assertThat(path).as("path of %d in %d", m, n).containsExactlyElementsOf(Rfc9162.path(m, leaves));
            assertThat(Rfc9162.verifyInclusion(m, n, leaves.get(m), path, root)).isTrue();
            assertThat(Merkle.verifyInclusion(m, n, leaves.get(m), path, root)).isTrue();
        }
    }

    @Property(tries = 250)
    void consistencyProofsAgreeWithTheReference(@ForAll("sizes") int n, @ForAll long seed,
                                                @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int pick) {
        List<byte[]> leaves = leafHashes(n, seed);
        StoredTree tree = new StoredTree(built(leaves, seed));
        byte[] second = Rfc9162.mth(leaves);
        for (int m : new int[]{1 + pick % n, 1, n}) {
            byte[] first = Rfc9162.mth(leaves.subList(0, m));
            assertThat(tree.root(m)).isEqualTo(first);
            List<byte[]> proof = tree.consistency(m, n);
            assertThat(proof).as("proof %d -> %d", m, n).containsExactlyElementsOf(Rfc9162.proof(m, leaves));
            assertThat(Rfc9162.verifyConsistency(m, n, first, second, proof)).isTrue();
            assertThat(Merkle.verifyConsistency(m, n, first, second, proof)).isTrue();
        }
    }

    @Property(tries = 200)
    void anAlteredInclusionProofVerifiesInNeither(@ForAll("sizes") int n, @ForAll long seed,
                                                  @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int pick) {
        List<byte[]> leaves = leafHashes(n, seed);
        byte[] root = Rfc9162.mth(leaves);
        int m = pick % n;
        List<byte[]> path = Rfc9162.path(m, leaves);
        Random random = new Random(seed);
        // another leaf, another index, a flipped bit, a dropped or an extra hash (another size is no
        // test: the path of leaf 0 of 3 leaves also fits 4 leaves; the signed head binds size to root)
        byte[] otherLeaf = Rfc9162.leaf(new byte[]{(byte) random.nextInt()});
        // a one-byte entry can be the very entry of leaf m (one in 256 when it is one byte long)
        if (!Arrays.equals(otherLeaf, leaves.get(m))) {
            assertNeither(m, n, otherLeaf, path, root);
        }
        if (n > 1) {
            int other = (m + 1 + random.nextInt(n - 1)) % n;
            if (!Arrays.equals(leaves.get(other), leaves.get(m))) {
                assertNeither(other, n, leaves.get(m), path, root);
            }
        }
        if (!path.isEmpty()) {
            List<byte[]> flipped = new ArrayList<>(path);
            int at = random.nextInt(path.size());
            byte[] bad = path.get(at).clone();
            bad[random.nextInt(32)] ^= (byte) (1 << random.nextInt(8));
            flipped.set(at, bad);
            assertNeither(m, n, leaves.get(m), flipped, root);
            assertNeither(m, n, leaves.get(m), path.subList(0, path.size() - 1), root);
        }
        List<byte[]> longer = new ArrayList<>(path);
        longer.add(root);
        assertNeither(m, n, leaves.get(m), longer, root);
    }

    private static void assertNeither(long m, long n, byte[] leaf, List<byte[]> path, byte[] root) {
        assertThat(Rfc9162.verifyInclusion(m, n, leaf, path, root)).as("reference accepts a bad proof").isFalse();
        assertThat(Merkle.verifyInclusion(m, n, leaf, path, root)).as("production accepts a bad proof").isFalse();
    }

    @Property(tries = 200)
    void anAlteredConsistencyProofVerifiesInNeither(@ForAll("sizes") int n, @ForAll long seed,
                                                    @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int pick) {
        if (n < 2) {
            return;
        }
        List<byte[]> leaves = leafHashes(n, seed);
        int m = 1 + pick % (n - 1);
        byte[] first = Rfc9162.mth(leaves.subList(0, m));
        byte[] second = Rfc9162.mth(leaves);
        List<byte[]> proof = Rfc9162.proof(m, leaves);
        Random random = new Random(seed);
        List<byte[]> flipped = new ArrayList<>(proof);
        int at = random.nextInt(proof.size());
        byte[] bad = proof.get(at).clone();
        bad[random.nextInt(32)] ^= 1;
        flipped.set(at, bad);
        assertNeitherConsistent(m, n, first, second, flipped);
        assertNeitherConsistent(m, n, first, Rfc9162.leaf(new byte[]{7}), proof);
        assertNeitherConsistent(m, n, Rfc9162.leaf(new byte[]{7}), second, proof);
        assertNeitherConsistent(m, n, first, second, proof.subList(1, proof.size()));
        // a rewritten history: the first tree with one leaf changed is not a prefix of the second
        List<byte[]> rewritten = new ArrayList<>(leaves.subList(0, m));
        rewritten.set(random.nextInt(m), Rfc9162.leaf(new byte[]{9, 9}));
        assertNeitherConsistent(m, n, Rfc9162.mth(rewritten), second, proof);
    }

    private static void assertNeitherConsistent(long m, long n, byte[] first, byte[] second, List<byte[]> proof) {
        assertThat(Rfc9162.verifyConsistency(m, n, first, second, proof)).as("reference").isFalse();
        assertThat(Merkle.verifyConsistency(m, n, first, second, proof)).as("production").isFalse();
    }

    @Property(tries = 100)
    void appendingInAnyBatchesStoresTheSameNodes(@ForAll @IntRange(min = 1, max = 5000) int n, @ForAll long seed) {
        List<byte[]> leaves = leafHashes(n, seed);
        MemoryTree once = new MemoryTree();
        once.append(leaves);
        MemoryTree batches = built(leaves, seed);
        assertThat(batches.levels.keySet()).isEqualTo(once.levels.keySet());
        for (int level : once.levels.keySet()) {
            Map<Long, byte[]> a = once.levels.get(level);
            Map<Long, byte[]> b = batches.levels.get(level);
            assertThat(b.keySet()).as("level %d", level).isEqualTo(a.keySet());
            a.forEach((i, h) -> assertThat(b.get(i)).as("node %d/%d", level, i).isEqualTo(h));
            // exactly the complete subtrees of 16^j leaves are stored
            long span = 1L << level;
            assertThat((long) a.size()).isEqualTo(level == 0 ? n : n / span);
        }
    }

    @Example
    void equalSizesNeedAnEmptyProofAndTheSameRoot() {
        List<byte[]> leaves = leafHashes(9, 1);
        byte[] root = Rfc9162.mth(leaves);
        assertThat(new StoredTree(built(leaves, 1)).consistency(9, 9)).isEmpty();
        assertThat(Merkle.verifyConsistency(9, 9, root, root, List.of())).isTrue();
        assertThat(Merkle.verifyConsistency(9, 9, root, leaves.get(0), List.of())).isFalse();
        assertThat(Merkle.verifyConsistency(9, 9, root, root, List.of(root))).isFalse();
    }

    @Example
    void theEmptyTreeHasTheHashOfNothing() {
        assertThat(Merkle.emptyRoot()).isEqualTo(Rfc9162.sha256());
        assertThat(new StoredTree(new MemoryTree()).root(0)).isEqualTo(Rfc9162.sha256());
        assertThat(IntStream.of(2, 3, 4, 5, 8, 9, 1 << 20, (1 << 20) + 1).mapToLong(Merkle::splitPoint).toArray())
                .containsExactly(1, 2, 2, 4, 4, 8, 1 << 19, 1 << 20);
    }
}
