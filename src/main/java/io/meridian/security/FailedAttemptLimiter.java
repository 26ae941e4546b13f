package io.meridian.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Limits how many unknown keys one source address may try: a token bucket per source, charged only
 * by failures. A source starts with {@code burst} tokens, each unknown key costs one, and tokens
 * come back at {@code perMinute}; a source without a token is refused. Sources that never failed
 * cost nothing: no bucket exists for them.
 *
 * <p>At most {@code maxSources} buckets are kept. When that many exist, full (refilled) buckets are
 * dropped; a new source that still finds no room shares one overflow bucket with every other such
 * source, so a flood from many addresses is limited as one and cannot grow the heap.
 *
 * <p>Framework-free, with an injectable clock, so that it is tested without a server.
 */
public final class FailedAttemptLimiter {

    /** The bucket shared by sources that found no room of their own. */
    static final String OVERFLOW = "*";

    private final double burst;
    private final double perNano;
    private final int maxSources;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param burst      failures a source may have in a row before it is refused (&ge; 1)
     * @param perMinute  failures a source earns back per minute (&gt; 0)
     * @param maxSources most buckets kept (&ge; 1)
     * @param nanoClock  a monotonic clock, {@link System#nanoTime} in the service
     */
    public FailedAttemptLimiter(int burst, double perMinute, int maxSources, LongSupplier nanoClock) {
        if (burst < 1 || !(perMinute > 0) || !Double.isFinite(perMinute) || maxSources < 1) {
            throw new IllegalArgumentException("burst and max sources must be at least 1, the rate positive");
        }
        this.burst = burst;
        this.perNano = perMinute / 60e9;
        this.maxSources = maxSources;
        this.nanoClock = nanoClock;
    }

    /**
     * Whether {@code source} is refused now, and for how long: 0 when it may try; else the whole
     * seconds (at least 1) until it may try again.
     */
    public long refusedForSeconds(String source) {
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            return 0;
        }
        return bucket.refusedForSeconds(nanoClock.getAsLong());
    }

    /** Charges one failed attempt to {@code source}. */
    public void failed(String source) {
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= maxSources) {
                prune();
            }
            bucket = buckets.size() < maxSources
                    ? buckets.computeIfAbsent(source, s -> new Bucket())
                    : buckets.computeIfAbsent(OVERFLOW, s -> new Bucket());
        }
        bucket.take(nanoClock.getAsLong());
    }

    /** Buckets kept now (for tests and a gauge). */
    public int sources() {
        return buckets.size();
    }

    /** Drops the buckets that have refilled: their sources are as good as new. */
    public void prune() {
        long now = nanoClock.getAsLong();
        buckets.entrySet().removeIf(e -> e.getValue().full(now));
    }

    private final class Bucket {
        private double tokens = burst;
        private long updated = nanoClock.getAsLong();

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updated) * perNano);
            updated = now;
        }

        synchronized void take(long now) {
            refill(now);
            tokens = Math.max(0, tokens - 1);
        }

        synchronized long refusedForSeconds(long now) {
            refill(now);
            if (tokens >= 1) {
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }

        synchronized boolean full(long now) {
            refill(now);
            return tokens >= burst;
        }
    }
}
