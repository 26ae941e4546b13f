package io.meridian.routing;

import io.meridian.catalog.RegionCodes;
import io.meridian.core.RegionPolicy;
import io.meridian.policy.RegionPolicyService;
import io.meridian.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A request's region lists checked against the model, and the effective policy it routes under:
 * the request's restriction narrowed by its account's stored policy. Plans and live meetings alike.
 */
@ApplicationScoped
public class PolicyMapper {

    private final RegionCodes regionCodes;
    private final RegionPolicyService policies;

    @Inject
    public PolicyMapper(RegionCodes regionCodes, RegionPolicyService policies) {
        this.regionCodes = regionCodes;
        this.policies = policies;
    }

    /** The request's own restriction; unknown codes add errors (field names as given). */
    public RegionPolicy.Restriction requestRestriction(List<String> blockedRegions, List<String> allowedRegions,
                                                       List<Problem.FieldError> errors) {
        SortedSet<String> blocked = regionCodes.parse("blockedRegions", blockedRegions, errors);
        SortedSet<String> allowed = allowedRegions == null ? null
                : regionCodes.parse("allowedRegions", allowedRegions, errors);
        return new RegionPolicy.Restriction("request", blocked, Optional.ofNullable(allowed));
    }

    /**
     * An effective policy with the version of the account's stored policy it took in.
     *
     * @param version the account policy's version; 0 when none applied
     */
    public record Effective(RegionPolicy policy, long version) {
    }

    /**
     * The effective policy: a request can only narrow the account's policy (blocked lists unite,
     * allow-lists intersect). Reads the account's policy from the database when an account is named.
     */
    public Effective effective(RegionPolicy.Restriction request, String accountId) {
        List<RegionPolicy.Restriction> restrictions = new ArrayList<>(2);
        restrictions.add(request);
        long version = 0;
        if (accountId != null) {
            RoutingService.requireWorkerThread("reading the account's policy");
            Optional<RegionPolicyService.Versioned> account = policies.versionedRestrictionFor(accountId);
            if (account.isPresent()) {
                restrictions.add(account.get().restriction());
                version = account.get().version();
            }
        }
        return new Effective(RegionPolicy.merge(restrictions), version);
    }
}
