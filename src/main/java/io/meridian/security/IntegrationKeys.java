package io.meridian.security;

import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Integration keys: capability URLs for systems that send no bearer token. A key is 256 random
 * bits, written as 43 base64url characters; only its SHA-256 is stored, and it is shown once, to the
 * region admin who creates it.
 *
 * <p>Checking a key costs no database round trip: each replica keeps the hashes of every unrevoked
 * key in memory, reloaded at once after a change made here and, for changes made on other
 * replicas, when {@link IntegrationKeyStore#changeMark()} moves (checked every
 * {@code meridian.integration-keys.refresh-interval}). A key is found by its hash, so the lookup's
 * timing can only tell something about the hash, from which nothing about a key follows; the hash
 * found is then compared in constant time all the same. While the database cannot be reached the
 * replica keeps the keys it knew (a revocation then waits for the database).
 *
 * <p>When each key was last used is noted in memory and written in batches every
 * {@code meridian.integration-keys.last-used-flush-interval}, and on shutdown.
 */
@Startup
@ApplicationScoped
public class IntegrationKeys {

    private static final Logger LOG = Logger.getLogger(IntegrationKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 32;
    /** Base64url without padding of 32 bytes. */
    static final int KEY_CHARS = 43;

    /** What a valid key grants: the integration and the account it speaks for. */
    public static final class Grant {
        private final String id;
        private final String integration;
        private final String accountId;
        private final byte[] hash;
        private final LastUse lastUse;

        Grant(String id, String integration, String accountId, byte[] hash, LastUse lastUse) {
            this.id = id;
            this.integration = integration;
            this.accountId = accountId;
            this.hash = hash;
            this.lastUse = lastUse;
        }

        public String id() {
            return id;
        }

        public String integration() {
            return integration;
        }

        public String accountId() {
            return accountId;
        }
    }

    /** When a key was last used here, and how much of that is written. */
    static final class LastUse {
        volatile long millis;
        volatile long written;
    }

    /** The result of presenting a key. */
    public sealed interface Check permits Granted, Unknown, Refused {
    }

    /** A valid key. */
    public record Granted(Grant grant) implements Check {
    }

    /** No valid key of the integration: unknown, revoked, or not a key at all. Charged to the source. */
    public record Unknown() implements Check {
    }

    /** An unknown key from a source that tried too many. */
    public record Refused(long retryAfterSeconds) implements Check {
    }

    /** A created key: the key itself appears here and nowhere else, ever. */
    public record Created(String id, String key, Instant createdAt, String createdBy) {
    }

    /** A key as listed: no key, no hash. */
    public record Listed(String id, Instant createdAt, String createdBy, Optional<Instant> lastUsedAt) {
    }

    private final IntegrationKeyStore store;
    private final IntegrationKeyConfig config;
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(IntegrationKeys::digest);
    private volatile Map<String, Grant> byHash = Map.of();
    private volatile long mark = -1;
    private volatile boolean failing;
    private final FailedAttemptLimiter limiter;

    @Inject
    public IntegrationKeys(IntegrationKeyStore store, IntegrationKeyConfig config) {
        this.store = store;
        this.config = config;
        this.limiter = new FailedAttemptLimiter(config.failedAttemptsBurst(), config.failedAttemptsPerMinute(),
                config.failedAttemptsMaxSources(), System::nanoTime);
        reload();
    }

    /**
     * Checks a key presented by {@code source} (its address). A valid key is always granted: it
     * proves possession, so a neighbour behind the same address that keeps presenting a revoked key
     * cannot lock a working Jicofo out. An unknown key is charged to the source, and once the source
     * has used up its budget (meridian.integration-keys.failed-attempts.*) its unknown keys are
     * refused with the time until it may try again. The limit does not make keys harder to guess
     * (256 random bits are not guessed); it tells a misbehaving client to back off and bounds what it
     * costs. In memory only: safe on the event loop.
     */
    public Check check(String integration, String key, String source) {
        Optional<Grant> grant = find(integration, key);
        if (grant.isPresent()) {
            return new Granted(grant.get());
        }
        long refused = limiter.refusedForSeconds(source);
        if (refused > 0) {
            return new Refused(refused);
        }
        limiter.failed(source);
        return new Unknown();
    }

    /** Forgets sources whose budget has refilled. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pruneSources() {
        limiter.prune();
    }

    /**
     * The grant of a key of {@code integration}, if it is a valid, unrevoked key of it. In memory
     * only: safe on the event loop.
     */
    public Optional<Grant> find(String integration, String key) {
        if (!wellFormed(key)) {
            return Optional.empty();
        }
        byte[] hash = sha256.get().digest(key.getBytes(StandardCharsets.US_ASCII));
        Grant grant = byHash.get(HexFormat.of().formatHex(hash));
        if (grant == null || !MessageDigest.isEqual(grant.hash, hash) || !grant.integration.equals(integration)) {
            return Optional.empty();
        }
        return Optional.of(grant);
    }

    /** Notes a use of the key now; written to the database later, in a batch. */
    public void used(Grant grant, long nowMillis) {
        if (nowMillis > grant.lastUse.millis) {
            grant.lastUse.millis = nowMillis;
        }
    }

    /** Creates a key for an account: 409 when it has {@code meridian.integration-keys.max-per-account} already. */
    public Created create(String integration, String accountId, String caller) {
        if (store.countActive(integration, accountId) >= config.maxPerAccount()) {
            throw ProblemException.of(ProblemType.INTEGRATION_KEY_LIMIT, "This account has "
                    + config.maxPerAccount() + " " + integration + " keys already (meridian.integration-keys."
                    + "max-per-account); revoke one first.");
        }
        byte[] secret = new byte[KEY_BYTES];
        RANDOM.nextBytes(secret);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = HexFormat.of().formatHex(digest().digest(key.getBytes(StandardCharsets.US_ASCII)));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String id = UUID.randomUUID().toString();
        store.insert(new IntegrationKeyStore.Row(id, integration, accountId, hash, now, caller, Optional.empty()));
        LOG.infof("Integration key %s (%s) created for account %s by %s", id, integration, accountId, caller);
        reload();
        return new Created(id, key, now, caller);
    }

    /** The account's unrevoked keys of an integration, oldest first, with the freshest last use known here. */
    public List<Listed> list(String integration, String accountId) {
        Map<String, Grant> grants = byHash;
        Map<String, Long> usedHere = new HashMap<>();
        for (Grant g : grants.values()) {
            if (g.lastUse.millis > 0) {
                usedHere.put(g.id, g.lastUse.millis);
            }
        }
        return store.active(integration, accountId).stream().map(row -> {
            Optional<Instant> used = row.lastUsedAt();
            Long here = usedHere.get(row.id());
            if (here != null && (used.isEmpty() || used.get().toEpochMilli() < here)) {
                used = Optional.of(Instant.ofEpochMilli(here));
            }
            return new Listed(row.id(), row.createdAt(), row.createdBy(), used);
        }).toList();
    }

    /** Revokes a key of the account; false when it has no unrevoked key with this id. */
    public boolean revoke(String integration, String accountId, String id, String caller) {
        boolean revoked = store.revoke(integration, accountId, id, Instant.now().truncatedTo(ChronoUnit.MICROS),
                caller);
        if (revoked) {
            LOG.infof("Integration key %s (%s) of account %s revoked by %s", id, integration, accountId, caller);
            reload();
        }
        return revoked;
    }

    /** Picks up keys created or revoked on other replicas; cheap when nothing changed. */
    @Scheduled(every = "${meridian.integration-keys.refresh-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            if (store.changeMark() != mark) {
                reload();
            }
            if (failing) {
                failing = false;
                LOG.info("Integration keys are read from the database again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warnf("Integration keys cannot be refreshed (%s); the keys known so far stay in use until the "
                        + "database answers again", e.getMessage());
            }
        }
    }

    /** Reads every unrevoked key; last uses noted here survive the reload. */
    synchronized void reload() {
        long newMark = store.changeMark();
        Map<String, LastUse> previous = new HashMap<>();
        for (Grant g : byHash.values()) {
            previous.put(g.id, g.lastUse);
        }
        Map<String, Grant> loaded = new HashMap<>();
        for (IntegrationKeyStore.Row row : store.active()) {
            LastUse lastUse = previous.getOrDefault(row.id(), new LastUse());
            loaded.put(row.keyHash(), new Grant(row.id(), row.integration(), row.accountId(),
                    HexFormat.of().parseHex(row.keyHash()), lastUse));
        }
        byHash = Map.copyOf(loaded);
        mark = newMark;
    }

    /** Writes the last uses noted since the previous write. */
    @Scheduled(every = "${meridian.integration-keys.last-used-flush-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushLastUse() {
        Map<String, Instant> pending = new HashMap<>();
        Map<LastUse, Long> taken = new HashMap<>();
        for (Grant g : byHash.values()) {
            long at = g.lastUse.millis;
            if (at > g.lastUse.written) {
                pending.put(g.id, Instant.ofEpochMilli(at));
                taken.put(g.lastUse, at);
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        try {
            store.lastUsed(pending);
            taken.forEach((use, at) -> use.written = at);
        } catch (RuntimeException e) {
            LOG.warnf("Last use of %d integration keys not written yet (%s); retried at the next flush",
                    pending.size(), e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        flushLastUse();
    }

    /** Whether the text can be a key at all (43 base64url characters): anything else is unknown at once. */
    static boolean wellFormed(String key) {
        if (key == null || key.length() != KEY_CHARS) {
            return false;
        }
        for (int i = 0; i < KEY_CHARS; i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
