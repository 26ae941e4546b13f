package io.meridian.transparency;

import io.meridian.transparency.log.Ed25519;
import io.meridian.transparency.log.SignedTreeHead;
import io.meridian.transparency.log.TreeHead;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Response shapes of the transparency log's endpoints. Hashes, keys and signatures are standard base64. */
public final class TransparencyViews {

    private TransparencyViews() {
    }

    @Schema(name = "TreeHead", description = "A signed tree head: the log had treeSize entries with this Merkle root "
            + "at timestamp. The signature is Ed25519 over the bytes docs/transparency.md defines "
            + "(version, type, logId, keyId, timestampMillis, treeSize, rootHash).")
    public record TreeHeadView(
            @Schema(description = "The log's name (meridian.transparency.log-id).", examples = "meridian", required = true)
            String logId,
            @Schema(description = "Entries in the tree.", examples = "1520", required = true) long treeSize,
            @Schema(description = "When the head was signed, RFC 3339 UTC (timestampMillis, as text).",
                    examples = "2026-11-23T09:30:10.004Z", required = true) String timestamp,
            @Schema(description = "When the head was signed, epoch milliseconds: the value that is signed.",
                    examples = "1795426210004", required = true) long timestampMillis,
            @Schema(description = "The Merkle root (RFC 9162), base64.", required = true,
                    examples = "q5ZbLrE3n0ux1s2ZpY6K9v1mJb4tQeXcWd8fRa7hUoI=") String rootHash,
            @Schema(description = "Id of the signing key in GET /api/v1/transparency/keys (its JWK thumbprint).",
                    examples = "0Jx8T7w4bQdK2lUe5mZrV1pN3cH6sA9yF0gLiO4tRkE", required = true) String keyId,
            @Schema(description = "Signature algorithm.", examples = "Ed25519", required = true) String algorithm,
            @Schema(description = "Ed25519 signature, base64.", required = true,
                    examples = "3H1Jb0...base64...Aw==") String signature) {

        static TreeHeadView of(SignedTreeHead signed) {
            TreeHead h = signed.head();
            return new TreeHeadView(h.logId(), h.treeSize(), Instant.ofEpochMilli(h.timestampMillis()).toString(),
                    h.timestampMillis(), h.rootHash().base64(), h.keyId(), "Ed25519", signed.signatureBase64());
        }
    }

    @Schema(name = "InclusionProof", description = "Proof that an entry is leaf leafIndex of the tree of treeSize "
            + "entries whose signed head is treeHead. Verify: SHA-256(0x00 || entry) = leafHash, then the audit path "
            + "from leafHash per RFC 9162 section 2.1.3.2 gives treeHead.rootHash.")
    public record InclusionProofView(
            @Schema(description = "The entry's fact id (the plan id).", examples = "01JD2Q7ZK3M6W1X5N8P0R4T9V2",
                    required = true) String planId,
            @Schema(examples = "41", required = true) long leafIndex,
            @Schema(examples = "1520", required = true) long treeSize,
            @Schema(description = "SHA-256(0x00 || entry), base64; the receipt's entryHash.", required = true)
            String leafHash,
            @Schema(description = "Sibling hashes from the leaf up, base64.", required = true) List<String> auditPath,
            @Schema(description = "The entry's canonical bytes, base64; null once retention deleted the plan's "
                    + "routing record (the leaf hash stays provable).", nullable = true) String entry,
            @Schema(required = true) TreeHeadView treeHead) {
    }

    @Schema(name = "ConsistencyProof", description = "Proof (RFC 9162 section 2.1.4) that the tree of first entries "
            + "is a prefix of the tree of second entries. Empty when the sizes are equal.")
    public record ConsistencyProofView(
            @Schema(examples = "1200", required = true) long first,
            @Schema(examples = "1520", required = true) long second,
            @Schema(description = "Hashes, base64, in RFC 9162 order.", required = true) List<String> proof) {
    }

    @Schema(name = "JsonWebKeySet", description = "Every key that ever signed a tree head of this log (RFC 7517), "
            + "oldest first: old keys stay so that old heads verify after a rotation.")
    public record Jwks(@Schema(required = true) List<Jwk> keys) {
    }

    @Schema(name = "JsonWebKey", description = "An Ed25519 public key (RFC 8037).")
    public record Jwk(
            @Schema(examples = "OKP", required = true) String kty,
            @Schema(examples = "Ed25519", required = true) String crv,
            @Schema(description = "The raw public key, base64url.", required = true,
                    examples = "jk3RuE7wSaJuCkk_EasCCWVKAPnUrIjik4NEnI83ads") String x,
            @Schema(description = "Key id: the JWK thumbprint (RFC 7638), as in tree heads.", required = true)
            String kid,
            @Schema(examples = "EdDSA", required = true) String alg,
            @Schema(examples = "sig", required = true) String use,
            @Schema(description = "When the key signed its first head, RFC 3339 UTC.", required = true,
                    examples = "2026-11-01T00:00:00Z") String firstUsed) {

        static Jwk of(LogStore.Key key) {
            return new Jwk("OKP", "Ed25519", Ed25519.base64Url(key.publicKey()), key.keyId(), "EdDSA", "sig",
                    Instant.ofEpochMilli(key.firstUsed()).toString());
        }
    }

    @Schema(name = "AccountHashKey", description = "The account's key K_a for the log's keyed hashes: accountHash = "
            + "HMAC-SHA-256(K_a, \"account\"), meetingHash = HMAC-SHA-256(K_a, \"meeting:\" || meetingId). Keep it: "
            + "it never changes, and with it the account recognises its own entries.")
    public record AccountHashKeyView(
            @Schema(examples = "acme", required = true) String accountId,
            @Schema(examples = "HMAC-SHA-256", required = true) String algorithm,
            @Schema(description = "K_a, base64.", required = true) String hashKey,
            @Schema(description = "The account hash its entries carry, base64.", required = true) String accountHash,
            @Schema(description = "The meeting id asked for, if any.", nullable = true) String meetingId,
            @Schema(description = "That meeting's hash, base64, if a meeting id was given.", nullable = true,
                    type = SchemaType.STRING) String meetingHash) {
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
