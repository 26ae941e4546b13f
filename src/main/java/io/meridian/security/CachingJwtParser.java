package io.meridian.security;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Duration;
import java.util.Optional;

/**
 * Puts {@link VerifiedTokenCache} in front of the bearer-token verification of every request
 * (smallrye-jwt's {@code JWTParser#parse(String)}, which the authentication mechanism calls).
 * {@code meridian.security.token-cache.max-entries=0} turns it off.
 */
@Decorator
@Priority(10)
public abstract class CachingJwtParser implements JWTParser {

    private final JWTParser delegate;
    private final VerifiedTokenCache<JsonWebToken> cache;

    @Inject
    public CachingJwtParser(@Delegate JWTParser delegate,
                            @ConfigProperty(name = "meridian.security.token-cache.max-entries", defaultValue = "10000")
                            int maxEntries,
                            @ConfigProperty(name = "meridian.security.token-cache.max-age", defaultValue = "PT5M")
                            Duration maxAge,
                            @ConfigProperty(name = "mp.jwt.verify.token.age") Optional<Long> tokenAgeSeconds,
                            MeterRegistry registry) {
        this.delegate = delegate;
        // with a maximum token age configured, verification refuses a token once iat + age has
        // passed: its cache entry ends there too
        VerifiedTokenCache.Expiry<JsonWebToken> expiry = tokenAgeSeconds.isEmpty() ? JsonWebToken::getExpirationTime
                : jwt -> Math.min(jwt.getExpirationTime(), jwt.getIssuedAtTime() + tokenAgeSeconds.get());
        this.cache = new VerifiedTokenCache<>(maxEntries, maxAge.toMillis(), expiry, System::currentTimeMillis);
        FunctionCounter.builder("meridian_token_cache_hits", cache, VerifiedTokenCache::hits)
                .description("Bearer tokens served from the cache of verified tokens").register(registry);
        FunctionCounter.builder("meridian_token_cache_misses", cache, VerifiedTokenCache::misses)
                .description("Bearer tokens verified in full (not cached, expired or cache off)").register(registry);
        Gauge.builder("meridian_token_cache_entries", cache, VerifiedTokenCache::size)
                .description("Verified bearer tokens held in the cache").register(registry);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return cache.get(token, delegate::parse);
    }
}
