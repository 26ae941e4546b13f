package io.meridian.integration.jicofo;

import io.meridian.core.RegionPolicy;
import io.meridian.policy.RegionPolicyService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The region policies of accounts that use Jicofo, kept in memory so that a selection needs no
 * database round trip (and can be answered on the event loop). Every
 * {@code meridian.jicofo.policy-refresh-interval} one query asks whether any policy changed anywhere
 * ({@link RegionPolicyService#changeMark()}); if so, every cached policy is dropped and read again on
 * its next use. So a policy change applies to selections on every replica within that interval.
 *
 * <p>A policy read while a change is being noticed is not kept: each read remembers the generation
 * it started in, and is cached only if no change was noticed meanwhile, so a stale read can never
 * outlive the change that made it stale. With {@code meridian.jicofo.policy-cache=false} nothing is
 * kept and every selection reads the policy.
 */
@ApplicationScoped
public class AccountPolicies {

    private static final Logger LOG = Logger.getLogger(AccountPolicies.class);

    private final RegionPolicyService policies;
    private final boolean enabled;
    private final ConcurrentHashMap<String, RegionPolicy> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile long mark = -1;
    private volatile boolean failing;

    @Inject
    public AccountPolicies(RegionPolicyService policies, JicofoConfig config) {
        this.policies = policies;
        this.enabled = config.policyCache();
    }

    /** The account's effective policy if it is in memory; empty means {@link #load} must read it. */
    public Optional<RegionPolicy> cached(String accountId) {
        return Optional.ofNullable(cache.get(accountId));
    }

    /** Reads the account's policy from the database (blocking) and keeps it, unless a change came meanwhile. */
    public RegionPolicy load(String accountId) {
        long started = generation.get();
        List<RegionPolicy.Restriction> restrictions = new ArrayList<>(1);
        policies.restrictionFor(accountId).ifPresent(restrictions::add);
        RegionPolicy policy = RegionPolicy.merge(restrictions);
        if (enabled && generation.get() == started) {
            cache.put(accountId, policy);
            if (generation.get() != started) {
                // a change was noticed while we stored: it may have cleared before our put
                cache.remove(accountId, policy);
            }
        }
        return policy;
    }

    /** Drops every cached policy when any policy changed since the last check. */
    @Scheduled(every = "${meridian.jicofo.policy-refresh-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            long now = policies.changeMark();
            if (now != mark) {
                generation.incrementAndGet();
                cache.clear();
                mark = now;
            }
            if (failing) {
                failing = false;
                LOG.info("Region policy changes are read from the database again");
            }
        } catch (RuntimeException e) {
            // without a way to notice changes, cached policies may be stale: drop them, so selections
            // read the policy themselves (and fail as the database does) until it answers again
            generation.incrementAndGet();
            cache.clear();
            mark = -1;
            if (!failing) {
                failing = true;
                LOG.warnf("Region policy changes cannot be checked (%s); Jicofo selections read policies from the "
                        + "database until it answers again", e.getMessage());
            }
        }
    }
}
