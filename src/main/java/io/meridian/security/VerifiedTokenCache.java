package io.meridian.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Bearer tokens whose signature and claims were verified, by their exact text, until they expire.
 *
 * <p>Verifying the RSA signature of the bearer token was the largest single cost of a request (about
 * a third of the CPU of a reserve-and-release cycle). Clients send the same token with every request
 * until it expires, and a token whose text is the same, byte for byte, has the same header, claims
 * and signature: verifying it again can only give another answer through time. So an entry lives
 * until the token's {@code exp} (no clock-skew allowance: after {@code exp} the full verification
 * decides again, with its own rules) and at most {@code maxAgeMillis}, so a change of the verification
 * key reaches cached tokens within that time. Tokens that fail verification are never cached.
 * At most {@code maxEntries} entries: when full, expired entries are dropped, and a token that still
 * finds no room is verified every time, so a flood of distinct tokens cannot grow the heap; tokens
 * over {@value #MAX_TOKEN_CHARS} characters are never kept.
 *
 * @param <T> what verification yields (the parsed token)
 */
public final class VerifiedTokenCache<T> {

    /** Verifies a token; throws when it is invalid. */
    @FunctionalInterface
    public interface Verifier<T, E extends Exception> {
        T verify(String token) throws E;
    }

    /** The expiry ({@code exp}, epoch seconds; 0 when absent) of what verification yielded. */
    @FunctionalInterface
    public interface Expiry<T> {
        long epochSeconds(T verified);
    }

    /**
     * Longer tokens are verified every time and never kept, so that 10,000 entries stay a few dozen
     * megabytes at most (a token of the usual claims is well under 2,000 characters).
     */
    public static final int MAX_TOKEN_CHARS = 4096;

    private record Entry<T>(T verified, long untilMillis) {
    }

    private final ConcurrentHashMap<String, Entry<T>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long maxAgeMillis;
    private final Expiry<T> expiry;
    private final LongSupplier clock;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public VerifiedTokenCache(int maxEntries, long maxAgeMillis, Expiry<T> expiry, LongSupplier clockMillis) {
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAgeMillis;
        this.expiry = expiry;
        this.clock = clockMillis;
    }

    /** The verified token, from the cache while it is fresh, else from {@code verifier}. */
    public <E extends Exception> T get(String token, Verifier<T, E> verifier) throws E {
        if (maxEntries <= 0 || maxAgeMillis <= 0 || token.length() > MAX_TOKEN_CHARS) {
            return verifier.verify(token);
        }
        long now = clock.getAsLong();
        Entry<T> cached = entries.get(token);
        if (cached != null) {
            if (now < cached.untilMillis()) {
                hits.increment();
                return cached.verified();
            }
            entries.remove(token, cached);
        }
        misses.increment();
        T verified = verifier.verify(token);
        long exp = expiry.epochSeconds(verified);
        long until = exp <= 0 ? 0 : Math.min(Math.multiplyExact(exp, 1000L), now + maxAgeMillis);
        if (until > now) {
            if (entries.size() >= maxEntries) {
                entries.values().removeIf(e -> e.untilMillis() <= now);
            }
            if (entries.size() < maxEntries) {
                entries.put(token, new Entry<>(verified, until));
            }
        }
        return verified;
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public int size() {
        return entries.size();
    }
}
