package io.meridian.transparency.log;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/** A tree head with its Ed25519 signature over {@link TreeHead#signedBytes()}. */
public record SignedTreeHead(TreeHead head, byte[] signature) {

    public SignedTreeHead {
        Objects.requireNonNull(head, "head");
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public String signatureBase64() {
        return Base64.getEncoder().encodeToString(signature);
    }

    /** True when {@code key} made the signature. */
    public boolean verify(PublicKey key) {
        return Ed25519.verify(key, head.signedBytes(), signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTreeHead other && head.equals(other.head) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * head.hashCode() + Arrays.hashCode(signature);
    }
}
