package io.meridian.transparency;

import io.meridian.transparency.log.Ed25519;
import io.meridian.transparency.log.Hash;
import io.meridian.transparency.log.SignedTreeHead;
import io.meridian.transparency.log.TreeHead;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signing keys and hash secrets: reading, deriving, key ids, tree-head signatures, and the production guard. */
class TransparencyKeysTest {

    private static final HexFormat HEX = HexFormat.of();
    /** RFC 8032 section 7.1, test 1. */
    private static final String RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String RFC8032_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String RFC8032_SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e0652249015"
            + "55fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n";
    }

    static PrivateKey rfc8032Key() {
        return Ed25519.privateKey(pem(HEX.parseHex("302e020100300506032b657004220420" + RFC8032_SEED)));
    }

    @Test
    void shouldDeriveThePublicKeyAndSignLikeRfc8032() throws Exception {
        PrivateKey key = rfc8032Key();
        byte[] raw = Ed25519.raw(Ed25519.publicKey(key));
        assertThat(HEX.formatHex(raw)).isEqualTo(RFC8032_PUBLIC);
        assertThat(HEX.formatHex(Ed25519.sign(key, new byte[0]))).isEqualTo(RFC8032_SIGNATURE);
        assertThat(Ed25519.verify(Ed25519.fromRaw(raw), new byte[0], HEX.parseHex(RFC8032_SIGNATURE))).isTrue();
        // RFC 8037 appendix A.3: the JWK thumbprint of that key
        assertThat(Ed25519.keyId(raw)).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    @Test
    void theCommittedDevelopmentKeyIsTheOneTheGuardKnows() {
        LogLeader.SigningKey dev = TransparencyKeys.readSigningKey("deploy/dev/transparency-signing-key.pem");
        assertThat(Base64.getEncoder().encodeToString(dev.publicKey())).isEqualTo(TransparencyKeys.DEV_SIGNING_PUBLIC_KEY);
        assertThat(Base64.getEncoder().encodeToString(TransparencyKeys.readSecret("deploy/dev/transparency-hash-secret")))
                .isEqualTo(TransparencyKeys.DEV_HASH_SECRET);
    }

    @Test
    void productionRefusesTheDevelopmentKeysAndMissingOnes() {
        byte[] devKey = Base64.getDecoder().decode(TransparencyKeys.DEV_SIGNING_PUBLIC_KEY);
        byte[] devSecret = Base64.getDecoder().decode(TransparencyKeys.DEV_HASH_SECRET);
        byte[] realKey = HEX.parseHex(RFC8032_PUBLIC);
        byte[] realSecret = new byte[32];
        new java.security.SecureRandom().nextBytes(realSecret);
        assertThat(TransparencyKeys.check(true, Optional.of(realKey), Optional.of(realSecret))).isEmpty();
        assertThat(TransparencyKeys.check(true, Optional.of(devKey), Optional.of(realSecret)))
                .singleElement().asString().contains("development key of deploy/dev");
        assertThat(TransparencyKeys.check(true, Optional.of(realKey), Optional.of(devSecret)))
                .singleElement().asString().contains("development secret");
        assertThat(TransparencyKeys.check(true, Optional.empty(), Optional.empty())).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION"))
                .anySatisfy(p -> assertThat(p).contains("MERIDIAN_TRANSPARENCY_HASH_SECRET_LOCATION"));
        assertThat(TransparencyKeys.check(false, Optional.empty(), Optional.of(devSecret)))
                .as("a service with the log off needs no keys").isEmpty();
    }

    @Test
    void badKeyFilesAreRefusedWithTheSettingNamed() throws Exception {
        Path rsa = Files.createTempFile("rsa", ".pem");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Files.writeString(rsa, pem(generator.generateKeyPair().getPrivate().getEncoded()));
        assertThatThrownBy(() -> TransparencyKeys.readSigningKey(rsa.toString()))
                .hasMessageContaining("meridian.transparency.signing-key.location").hasMessageContaining("Ed25519");
        assertThatThrownBy(() -> TransparencyKeys.readSigningKey("/nonexistent/key.pem"))
                .hasMessageContaining("cannot be read");
        Path shortSecret = Files.createTempFile("secret", "");
        Files.writeString(shortSecret, "# a comment\n" + Base64.getEncoder().encodeToString(new byte[16]) + "\n");
        assertThatThrownBy(() -> TransparencyKeys.readSecret(shortSecret.toString())).hasMessageContaining("at least 32");
    }

    @Test
    void treeHeadsSignTheDocumentedBytes() throws Exception {
        PrivateKey key = rfc8032Key();
        byte[] raw = Ed25519.raw(Ed25519.publicKey(key));
        Hash root = new Hash(Rfc9162.sha256("root".getBytes()));
        TreeHead head = new TreeHead("meridian", 7, 1795426210004L, root, Ed25519.keyId(raw));
        // version 1, type 1, log id, key id, timestamp, size, root: built here by hand
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        expected.write(new byte[]{1, 1, 8});
        expected.write("meridian".getBytes());
        expected.write(43);
        expected.write(Ed25519.keyId(raw).getBytes());
        expected.write(java.nio.ByteBuffer.allocate(16).putLong(1795426210004L).putLong(7).array());
        expected.write(root.bytes());
        assertThat(head.signedBytes()).isEqualTo(expected.toByteArray());
        SignedTreeHead signed = new SignedTreeHead(head, Ed25519.sign(key, head.signedBytes()));
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initVerify(Ed25519.fromRaw(HEX.parseHex(RFC8032_PUBLIC)));
        jdk.update(expected.toByteArray());
        assertThat(jdk.verify(signed.signature())).isTrue();
        assertThat(signed.verify(Ed25519.fromRaw(raw))).isTrue();
        TreeHead other = new TreeHead("meridian", 8, 1795426210004L, root, Ed25519.keyId(raw));
        assertThat(new SignedTreeHead(other, signed.signature()).verify(Ed25519.fromRaw(raw))).isFalse();
    }
}
