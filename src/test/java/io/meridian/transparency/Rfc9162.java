package io.meridian.transparency;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An independent reference of RFC 9162's Merkle tree, written from the RFC's recursive definitions
 * (sections 2.1.1, 2.1.3.1, 2.1.4.1) for the tests; it calls no production code. Verification
 * rebuilds the roots by following the same recursions backwards, rather than by the RFC's
 * bit-shifting loops the production code uses, so that the two can only agree by both being right.
 */
final class Rfc9162 {

    private Rfc9162() {
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] leaf(byte[] entry) {
        return sha256(new byte[]{0x00}, entry);
    }

    static byte[] node(byte[] left, byte[] right) {
        return sha256(new byte[]{0x01}, left, right);
    }

    /** The largest power of two smaller than n. */
    static int k(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    /** MTH(D[n]) over leaf hashes (the leaf hashes of the entries D). */
    static byte[] mth(List<byte[]> leaves) {
        int n = leaves.size();
        if (n == 0) {
            return sha256();
        }
        if (n == 1) {
            return leaves.get(0);
        }
        int k = k(n);
        return node(mth(leaves.subList(0, k)), mth(leaves.subList(k, n)));
    }

    /** PATH(m, D[n]). */
    static List<byte[]> path(int m, List<byte[]> leaves) {
        int n = leaves.size();
        if (n == 1) {
            return new ArrayList<>();
        }
        int k = k(n);
        List<byte[]> out;
        if (m < k) {
            out = path(m, leaves.subList(0, k));
            out.add(mth(leaves.subList(k, n)));
        } else {
            out = path(m - k, leaves.subList(k, n));
            out.add(mth(leaves.subList(0, k)));
        }
        return out;
    }

    /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
    static List<byte[]> proof(int m, List<byte[]> leaves) {
        return subproof(m, leaves, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> leaves, boolean b) {
        int n = leaves.size();
        if (m == n) {
            List<byte[]> out = new ArrayList<>();
            if (!b) {
                out.add(mth(leaves));
            }
            return out;
        }
        int k = k(n);
        List<byte[]> out;
        if (m <= k) {
            out = subproof(m, leaves.subList(0, k), b);
            out.add(mth(leaves.subList(k, n)));
        } else {
            out = subproof(m - k, leaves.subList(k, n), false);
            out.add(mth(leaves.subList(0, k)));
        }
        return out;
    }

    /** The root an audit path leads to, following PATH's recursion; null when the path has the wrong length. */
    static byte[] rootFromPath(long m, long n, byte[] leafHash, List<byte[]> path) {
        if (m < 0 || m >= n) {
            return null;
        }
        if (n == 1) {
            return path.isEmpty() ? leafHash : null;
        }
        if (path.isEmpty()) {
            return null;
        }
        long k = k64(n);
        byte[] last = path.get(path.size() - 1);
        List<byte[]> rest = path.subList(0, path.size() - 1);
        if (m < k) {
            byte[] left = rootFromPath(m, k, leafHash, rest);
            return left == null ? null : node(left, last);
        }
        byte[] right = rootFromPath(m - k, n - k, leafHash, rest);
        return right == null ? null : node(last, right);
    }

    static boolean verifyInclusion(long m, long n, byte[] leafHash, List<byte[]> path, byte[] root) {
        byte[] r = rootFromPath(m, n, leafHash, path);
        return r != null && Arrays.equals(r, root);
    }

    /** The old and new roots a consistency proof leads to, following SUBPROOF's recursion; null on a bad length. */
    private static byte[][] roots(long m, long n, List<byte[]> proof, boolean b, byte[] firstRoot) {
        if (m == n) {
            if (b) {
                return proof.isEmpty() ? new byte[][]{firstRoot, firstRoot} : null;
            }
            return proof.size() == 1 ? new byte[][]{proof.get(0), proof.get(0)} : null;
        }
        if (proof.isEmpty()) {
            return null;
        }
        long k = k64(n);
        byte[] last = proof.get(proof.size() - 1);
        List<byte[]> rest = proof.subList(0, proof.size() - 1);
        if (m <= k) {
            byte[][] inner = roots(m, k, rest, b, firstRoot);
            return inner == null ? null : new byte[][]{inner[0], node(inner[1], last)};
        }
        byte[][] inner = roots(m - k, n - k, rest, false, firstRoot);
        return inner == null ? null : new byte[][]{node(last, inner[0]), node(last, inner[1])};
    }

    static boolean verifyConsistency(long m, long n, byte[] firstRoot, byte[] secondRoot, List<byte[]> proof) {
        if (m < 1 || n < m) {
            return false;
        }
        byte[][] r = roots(m, n, proof, true, firstRoot);
        return r != null && Arrays.equals(r[0], firstRoot) && Arrays.equals(r[1], secondRoot);
    }

    private static long k64(long n) {
        long k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}
