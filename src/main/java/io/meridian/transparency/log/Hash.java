package io.meridian.transparency.log;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/** A SHA-256 or HMAC-SHA-256 value: 32 bytes, compared by content. */
public record Hash(byte[] bytes) {

    public Hash {
        bytes = Merkle.checkedHash(bytes);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The hash from its standard base64 form. */
    public static Hash ofBase64(String base64) {
        return new Hash(Base64.getDecoder().decode(base64));
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
