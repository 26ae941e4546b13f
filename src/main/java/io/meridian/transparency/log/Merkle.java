package io.meridian.transparency.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The Merkle tree hash of RFC 9162 (section 2.1) with SHA-256, and the verification of its
 * inclusion and consistency proofs (sections 2.1.3.2 and 2.1.4.2) exactly as the RFC states them.
 * Leaf hash {@code SHA-256(0x00 || entry)}, interior node {@code SHA-256(0x01 || left || right)},
 * the empty tree {@code SHA-256()}.
 *
 * <p>Which subtrees make up a root or a proof is {@link TreeShape}'s business; this class only
 * hashes and verifies, so that the customer's verifier and the service's self-check share it.
 */
public final class Merkle {

    /** Bytes of a SHA-256 hash. */
    public static final int HASH_BYTES = 32;

    private Merkle() {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** {@code SHA-256(0x00 || entry)}: the hash of a leaf holding {@code entry}. */
    public static byte[] leafHash(byte[] entry) {
        MessageDigest digest = sha256();
        digest.update((byte) 0x00);
        return digest.digest(entry);
    }

    /** {@code SHA-256(0x01 || left || right)}: the hash of an interior node. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest digest = sha256();
        digest.update((byte) 0x01);
        digest.update(left);
        return digest.digest(right);
    }

    /** The root of the empty tree, {@code SHA-256()} of nothing. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** The largest power of two smaller than {@code n} (n &ge; 2): RFC 9162's k. */
    public static long splitPoint(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("no split point below " + n);
        }
        return Long.highestOneBit(n - 1);
    }

    /**
     * RFC 9162 section 2.1.3.2: whether {@code path} proves that the leaf with hash {@code leafHash}
     * is leaf {@code leafIndex} of the tree of {@code treeSize} leaves whose root is {@code root}.
     */
    public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path,
                                          byte[] root) {
        return rootFromInclusion(leafIndex, treeSize, leafHash, path).map(r -> MessageDigest.isEqual(r, root))
                .orElse(false);
    }

    /**
     * The root that {@code path} leads to from the leaf, or empty when the path cannot belong to a
     * tree of that size (wrong length, index out of range). A verifier compares the result with the
     * signed root; the caller that only has a path (the self-check) learns which root it implies.
     */
    public static Optional<byte[]> rootFromInclusion(long leafIndex, long treeSize, byte[] leafHash,
                                                               List<byte[]> path) {
        if (leafIndex < 0 || treeSize <= 0 || leafIndex >= treeSize || leafHash.length != HASH_BYTES) {
            return Optional.empty();
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0 || p.length != HASH_BYTES) {
                return Optional.empty();
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? Optional.of(r) : Optional.empty();
    }

    /**
     * RFC 9162 section 2.1.4.2: whether {@code proof} proves that the tree of {@code first} leaves
     * with root {@code firstRoot} is a prefix of the tree of {@code second} leaves with root
     * {@code secondRoot}. Equal sizes need an empty proof and equal roots; a first size of 0 (the
     * empty tree is a prefix of every tree) needs an empty proof.
     */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                            List<byte[]> proof) {
        if (first < 0 || second < first) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        if (first == 0) {
            return proof.isEmpty();
        }
        if (proof.isEmpty()) {
            return false;
        }
        for (byte[] c : proof) {
            if (c.length != HASH_BYTES) {
                return false;
            }
        }
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        if (Long.bitCount(first) == 1) {
            path.add(firstRoot);
        }
        path.addAll(proof);
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    /** Hex of a hash, for messages. */
    public static String hex(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }

    /** A defensive copy that also checks the length. */
    public static byte[] checkedHash(byte[] hash) {
        if (hash == null || hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("a hash has " + HASH_BYTES + " bytes");
        }
        return Arrays.copyOf(hash, HASH_BYTES);
    }
}
