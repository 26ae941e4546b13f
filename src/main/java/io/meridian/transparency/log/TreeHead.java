package io.meridian.transparency.log;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a signed tree head states: that the log {@code logId} had {@code treeSize} entries with
 * Merkle root {@code rootHash} at {@code timestampMillis}, signed by key {@code keyId}. The
 * signature covers {@link #signedBytes()}:
 *
 * <pre>
 *   uint8  version = 1
 *   uint8  signature_type = 1          (tree head)
 *   opaque log_id&lt;1..255&gt;               (ASCII)
 *   opaque key_id&lt;1..255&gt;               (ASCII, the JWK thumbprint of the signing key)
 *   uint64 timestamp                     (epoch milliseconds UTC)
 *   uint64 tree_size
 *   opaque root_hash[32]
 * </pre>
 */
public record TreeHead(String logId, long treeSize, long timestampMillis, Hash rootHash, String keyId) {

    public static final int VERSION = 1;
    public static final int SIGNATURE_TYPE = 1;

    public TreeHead {
        Objects.requireNonNull(logId, "logId");
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(keyId, "keyId");
        if (treeSize < 0 || timestampMillis < 0) {
            throw new IllegalArgumentException("negative size or time");
        }
        ascii(logId, "logId");
        ascii(keyId, "keyId");
    }

    private static void ascii(String s, String what) {
        if (s.isEmpty() || s.length() > 255 || !StandardCharsets.US_ASCII.newEncoder().canEncode(s)) {
            throw new IllegalArgumentException(what + " must be 1-255 ASCII characters");
        }
    }

    /** The bytes the signature covers. */
    public byte[] signedBytes() {
        return new Wire.Writer(128).u8(VERSION).u8(SIGNATURE_TYPE).string8(logId).string8(keyId)
                .u64(timestampMillis).u64(treeSize).raw(rootHash.bytes()).toBytes();
    }
}
