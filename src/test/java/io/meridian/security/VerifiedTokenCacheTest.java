package io.meridian.security;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache's rules on a fake clock: exact text, exp, max age, failures, bound. */
class VerifiedTokenCacheTest {

    /** A "token" here is "name:exp-in-epoch-seconds"; "bad:..." fails verification. */
    private record Verified(String name, long exp) {
    }

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final AtomicInteger verifications = new AtomicInteger();

    private Verified verify(String token) {
        verifications.incrementAndGet();
        String[] parts = token.split(":");
        if (parts[0].equals("bad")) {
            throw new IllegalArgumentException("invalid token");
        }
        return new Verified(parts[0], Long.parseLong(parts[1]));
    }

    private VerifiedTokenCache<Verified> cache(int maxEntries, long maxAgeMillis) {
        return new VerifiedTokenCache<>(maxEntries, maxAgeMillis, Verified::exp, now::get);
    }

    private String tokenExpiringIn(String name, long seconds) {
        return name + ":" + (now.get() / 1000 + seconds);
    }

    @Test
    void theSameTextShouldBeVerifiedOnceWhileFresh() {
        var cache = cache(10, 300_000);
        String token = tokenExpiringIn("a", 3600);
        Verified first = cache.get(token, this::verify);
        now.addAndGet(60_000);
        assertThat(cache.get(token, this::verify)).isSameAs(first);
        assertThat(verifications).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
        // another text is another token, even for the same claims
        cache.get(token + "0", this::verify);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void anEntryShouldEndAtTheTokensExpiry() {
        var cache = cache(10, 300_000);
        String token = tokenExpiringIn("a", 30);
        cache.get(token, this::verify);
        now.addAndGet(29_999);
        cache.get(token, this::verify);
        assertThat(verifications).hasValue(1);
        now.addAndGet(1);
        // at exp the full verification decides again (here the fake verifier still accepts it)
        cache.get(token, this::verify);
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anEntryShouldEndAfterTheMaxAgeEvenIfTheTokenLivesLonger() {
        var cache = cache(10, 300_000);
        String token = tokenExpiringIn("a", 3600);
        cache.get(token, this::verify);
        now.addAndGet(300_000);
        cache.get(token, this::verify);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void failuresAndExpiredOrExpiryLessTokensShouldNeverBeCached() {
        var cache = cache(10, 300_000);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.get("bad:0", this::verify)).isInstanceOf(IllegalArgumentException.class);
        }
        cache.get("noexp:0", this::verify);
        cache.get("noexp:0", this::verify);
        String expired = tokenExpiringIn("old", -5);
        cache.get(expired, this::verify);
        cache.get(expired, this::verify);
        assertThat(verifications).hasValue(6);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aFullCacheShouldDropExpiredEntriesAndOtherwiseNotGrow() {
        var cache = cache(3, 300_000);
        cache.get(tokenExpiringIn("short", 10), this::verify);
        cache.get(tokenExpiringIn("b", 3600), this::verify);
        cache.get(tokenExpiringIn("c", 3600), this::verify);
        assertThat(cache.size()).isEqualTo(3);
        now.addAndGet(10_000);
        String d = tokenExpiringIn("d", 3600);
        cache.get(d, this::verify);
        assertThat(cache.size()).isEqualTo(3);
        String e = tokenExpiringIn("e", 3600);
        cache.get(e, this::verify);
        cache.get(e, this::verify);
        assertThat(cache.size()).isEqualTo(3);
        int before = verifications.get();
        cache.get(d, this::verify);
        assertThat(verifications).hasValue(before);
    }

    @Test
    void zeroEntriesShouldTurnTheCacheOff() {
        var cache = cache(0, 300_000);
        String token = tokenExpiringIn("a", 3600);
        cache.get(token, this::verify);
        cache.get(token, this::verify);
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void tokensLongerThanTheLimitShouldNeverBeKept() {
        var cache = cache(10, 300_000);
        String longToken = tokenExpiringIn("x".repeat(VerifiedTokenCache.MAX_TOKEN_CHARS), 3600);
        cache.get(longToken, this::verify);
        cache.get(longToken, this::verify);
        assertThat(verifications).hasValue(2);
        assertThat(cache.size()).isZero();
    }
}
