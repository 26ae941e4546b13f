package io.meridian.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The effective region policy of one routing decision.
 *
 * @param blockedRegions regions no media may touch
 * @param allowedRegions when present, the only regions media may touch
 * @param sources        where the restrictions came from ({@code request}, {@code account:acme}, ...)
 */
public record RegionPolicy(SortedSet<String> blockedRegions, Optional<SortedSet<String>> allowedRegions,
                           List<String> sources) {

    /** No restriction at all. */
    public static final RegionPolicy UNRESTRICTED = new RegionPolicy(new TreeSet<>(), Optional.empty(), List.of());

    public RegionPolicy {
        blockedRegions = unmodifiableCopy(Objects.requireNonNull(blockedRegions, "blockedRegions"));
        allowedRegions = Objects.requireNonNull(allowedRegions, "allowedRegions").map(RegionPolicy::unmodifiableCopy);
        sources = List.copyOf(sources);
    }

    private static SortedSet<String> unmodifiableCopy(SortedSet<String> set) {
        return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(set));
    }

    /** True when media may touch the region. */
    public boolean permits(String region) {
        return !blockedRegions.contains(region)
                && allowedRegions.map(allowed -> allowed.contains(region)).orElse(true);
    }

    /** Why the policy forbids a region, or empty when it permits it. */
    public Optional<ExclusionReason> exclusionOf(String region) {
        if (blockedRegions.contains(region)) {
            return Optional.of(ExclusionReason.REGION_BLOCKED);
        }
        if (allowedRegions.isPresent() && !allowedRegions.get().contains(region)) {
            return Optional.of(ExclusionReason.REGION_NOT_ALLOWED);
        }
        return Optional.empty();
    }

    /**
     * One party's restrictions before merging.
     *
     * @param name    shown in {@link RegionPolicy#sources()}
     * @param blocked regions this party blocks
     * @param allowed this party's allow-list, if it gave one
     */
    public record Restriction(String name, SortedSet<String> blocked, Optional<SortedSet<String>> allowed) {
        public Restriction {
            Objects.requireNonNull(name, "name");
            blocked = unmodifiableCopy(Objects.requireNonNull(blocked, "blocked"));
            allowed = Objects.requireNonNull(allowed, "allowed").map(RegionPolicy::unmodifiableCopy);
        }

        boolean restrictsAnything() {
            return !blocked.isEmpty() || allowed.isPresent();
        }
    }

    /**
     * Merges restrictions so that each can only narrow the others: blocked is the union, allowed the
     * intersection of the allow-lists given (none given: every region). Sources name the parties
     * that restricted anything, in the order given.
     */
    public static RegionPolicy merge(List<Restriction> restrictions) {
        SortedSet<String> blocked = new TreeSet<>();
        SortedSet<String> allowed = null;
        List<String> sources = new java.util.ArrayList<>();
        for (Restriction r : restrictions) {
            blocked.addAll(r.blocked());
            if (r.allowed().isPresent()) {
                if (allowed == null) {
                    allowed = new TreeSet<>(r.allowed().get());
                } else {
                    allowed.retainAll(r.allowed().get());
                }
            }
            if (r.restrictsAnything()) {
                sources.add(r.name());
            }
        }
        return new RegionPolicy(blocked, Optional.ofNullable(allowed), sources);
    }
}
