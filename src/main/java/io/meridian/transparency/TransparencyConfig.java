package io.meridian.transparency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** The transparency log: keys, the leader's rhythm, the self-check. See docs/transparency.md. */
@ConfigMapping(prefix = "meridian.transparency")
public interface TransparencyConfig {

    /**
     * Log every routing record. Off: no entries, no receipts, no tree heads (the endpoints still
     * serve what was logged before). Off only to measure the log's cost.
     */
    @WithDefault("true")
    boolean enabled();

    /** How often the leader sequences new entries and signs a tree head. */
    @WithDefault("10s")
    Duration treeHeadInterval();

    /**
     * How often the leader also gives pending entries their leaves between two heads, so that the
     * work comes in small steps instead of a head interval's worth at once. At least the tree-head
     * interval turns these steps off.
     */
    @WithDefault("1s")
    Duration sequenceInterval();

    /**
     * How long a leader's lease lasts without renewal (it renews on every step). A replica takes
     * over the log this long after the leader stopped renewing.
     */
    @WithDefault("30s")
    Duration leaderLease();

    /**
     * PEM file of the Ed25519 private key that signs tree heads (PKCS#8, {@code openssl genpkey
     * -algorithm ed25519}). Required in production; dev and test use deploy/dev's, which prod refuses.
     */
    @WithName("signing-key.location")
    Optional<String> signingKeyLocation();

    /**
     * File holding the secret of the keyed account and meeting hashes: base64 of at least 32 random
     * bytes ({@code openssl rand -base64 32}); lines starting with # are comments. Required in
     * production; never change it (the hashes of logged entries are made with it).
     */
    @WithName("hash-secret.location")
    Optional<String> hashSecretLocation();

    /** The log's name, signed into every tree head: give every deployment its own. */
    @WithDefault("meridian")
    String logId();

    /** Entries given leaf indices per sequencing transaction. */
    @WithDefault("10000")
    int sequenceBatch();

    /**
     * How often every replica checks the newest head against the previous one and audits a stretch
     * of the log. Short runs often rather than long ones seldom: a run's reads and hashes take the
     * CPU that requests share, and a long one shows in their latency.
     */
    @WithDefault("10s")
    Duration selfCheckInterval();

    /** Leaves the self-check re-hashes per run, cycling through the whole log (about 49,000 a minute by default). */
    @WithDefault("8192")
    int auditBatch();
}
