package io.meridian.transparency;

import io.meridian.transparency.log.Ed25519;
import io.meridian.transparency.log.KeyedHashes;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The log's two secrets, read from the files the configuration names: the Ed25519 key that signs
 * tree heads and the secret of the keyed account and meeting hashes. Like the token keys
 * ({@code ProductionKeyGuard}), a production start refuses the development pair of deploy/dev and
 * refuses to run the log without either.
 */
@ApplicationScoped
public class TransparencyKeys {

    private static final Logger LOG = Logger.getLogger(TransparencyKeys.class);

    /** Raw public key of deploy/dev/transparency-signing-key.pem, base64. */
    static final String DEV_SIGNING_PUBLIC_KEY = "jk3RuE7wSaJuCkk/EasCCWVKAPnUrIjik4NEnI83ads=";
    /** The secret of deploy/dev/transparency-hash-secret, base64. */
    static final String DEV_HASH_SECRET = "sQ4ph58aKX0Blzr0YcEBAEYQ7c6BkhmYZNF4J+IZhF8=";

    private final TransparencyConfig config;
    private volatile Optional<LogLeader.SigningKey> signingKey;
    private volatile Optional<KeyedHashes> hashes;

    @Inject
    public TransparencyKeys(TransparencyConfig config) {
        this.config = config;
        this.signingKey = config.signingKeyLocation().map(TransparencyKeys::readSigningKey);
        this.hashes = config.hashSecretLocation().map(location -> new KeyedHashes(readSecret(location)));
    }

    void onStart(@Observes StartupEvent event) {
        // only the packaged service in the prod profile: dev mode, tests and explicit dev runs are exempt
        if (LaunchMode.current() != LaunchMode.NORMAL || !ConfigUtils.isProfileActive("prod")) {
            return;
        }
        List<String> problems = check(config.enabled(), signingKey.map(LogLeader.SigningKey::publicKey),
                config.hashSecretLocation().map(TransparencyKeys::readSecret));
        if (!problems.isEmpty()) {
            String message = "Refusing to start: the transparency log's keys are not configured for production.\n  - "
                    + String.join("\n  - ", problems);
            LOG.error(message);
            throw new IllegalStateException(message);
        }
    }

    /** Everything wrong with a production key configuration; empty when it is fine. */
    static List<String> check(boolean enabled, Optional<byte[]> signingPublicKey, Optional<byte[]> hashSecret) {
        List<String> problems = new ArrayList<>();
        if (!enabled) {
            return problems;
        }
        if (signingPublicKey.isEmpty()) {
            problems.add("no signing key: set MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION "
                    + "(meridian.transparency.signing-key.location) to an Ed25519 private key PEM file "
                    + "(openssl genpkey -algorithm ed25519 -out signing-key.pem), or MERIDIAN_TRANSPARENCY_ENABLED=false");
        } else if (Base64.getEncoder().encodeToString(signingPublicKey.get()).equals(DEV_SIGNING_PUBLIC_KEY)) {
            problems.add("the signing key is the development key of deploy/dev, which anyone can sign tree heads "
                    + "with: generate a key of your own (openssl genpkey -algorithm ed25519)");
        }
        if (hashSecret.isEmpty()) {
            problems.add("no hash secret: set MERIDIAN_TRANSPARENCY_HASH_SECRET_LOCATION "
                    + "(meridian.transparency.hash-secret.location) to a file holding base64 of 32 random bytes "
                    + "(openssl rand -base64 32)");
        } else if (Base64.getEncoder().encodeToString(hashSecret.get()).equals(DEV_HASH_SECRET)) {
            problems.add("the hash secret is the development secret of deploy/dev, which is public: "
                    + "make one of your own (openssl rand -base64 32)");
        }
        return problems;
    }

    /** The key that signs heads on this replica. */
    public Optional<LogLeader.SigningKey> signingKey() {
        return signingKey;
    }

    /** The keyed hashes of account and meeting ids. */
    public Optional<KeyedHashes> hashes() {
        return hashes;
    }

    /** Replaces the signing key (tests of rotation); a running service rotates by restart. */
    void rotate(LogLeader.SigningKey next) {
        this.signingKey = Optional.of(next);
    }

    static LogLeader.SigningKey readSigningKey(String location) {
        String pem = read(location, "meridian.transparency.signing-key.location");
        try {
            PrivateKey key = Ed25519.privateKey(pem);
            byte[] raw = Ed25519.raw(Ed25519.publicKey(key));
            return new LogLeader.SigningKey(key, raw, Ed25519.keyId(raw));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("meridian.transparency.signing-key.location (" + location
                    + ") is not an Ed25519 private key in PEM (PKCS#8): " + e.getMessage(), e);
        }
    }

    /** The secret of a secret file: base64 after dropping blank lines and lines starting with #. */
    static byte[] readSecret(String location) {
        StringBuilder base64 = new StringBuilder();
        for (String line : read(location, "meridian.transparency.hash-secret.location").split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                base64.append(l);
            }
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("meridian.transparency.hash-secret.location (" + location
                    + ") does not hold base64", e);
        }
        if (secret.length < KeyedHashes.MIN_SECRET_BYTES) {
            throw new IllegalStateException("meridian.transparency.hash-secret.location (" + location + ") holds "
                    + secret.length + " bytes; at least " + KeyedHashes.MIN_SECRET_BYTES + " are needed");
        }
        return secret;
    }

    private static String read(String location, String setting) {
        try {
            return Files.readString(Path.of(location.startsWith("file:") ? location.substring(5) : location),
                    StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(setting + " names " + location + ", which cannot be read: " + e, e);
        }
    }
}
