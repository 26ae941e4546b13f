package io.meridian.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** Integration keys: how fast changes reach every replica, and how unknown keys are limited. */
@ConfigMapping(prefix = "meridian.integration-keys")
public interface IntegrationKeyConfig {

    /**
     * How often each replica checks the database for keys created or revoked on another replica (one
     * small query). A key revoked anywhere stops working on every replica within this interval plus
     * that query's time; a key created on another replica starts working within it too (at once on
     * the replica that created it).
     */
    @WithDefault("1s")
    Duration refreshInterval();

    /**
     * How often the time each key was last used is written to the database. Selections only note
     * it in memory; so {@code lastUsedAt} in a listing may lag by up to this much for keys used on
     * another replica.
     */
    @WithDefault("30s")
    Duration lastUsedFlushInterval();

    /** Most keys an account may have per integration at once; one more answers 409. */
    @WithDefault("10")
    int maxPerAccount();

    /** Unknown or revoked keys one source address may present in a row before they answer 429 (valid keys never do). */
    @WithName("failed-attempts.burst")
    @WithDefault("20")
    int failedAttemptsBurst();

    /** Unknown keys a refused source earns back per minute. */
    @WithName("failed-attempts.per-minute")
    @WithDefault("60")
    double failedAttemptsPerMinute();

    /**
     * Source addresses whose failed attempts are remembered at once; beyond that, new sources share
     * one budget (so a flood from many addresses cannot grow memory).
     */
    @WithName("failed-attempts.max-sources")
    @WithDefault("10000")
    int failedAttemptsMaxSources();
}
