package io.meridian.policy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The current region policy of one account. Changed only through {@link RegionPolicyService}. */
@Entity
@Table(name = "region_policy")
public class RegionPolicyEntity extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public String accountId;

    /** Sorted, comma-separated region codes; empty for none. */
    @Column(name = "blocked_regions", nullable = false)
    public String blockedRegions;

    /** Sorted, comma-separated region codes; null when the account has no allow-list. */
    @Column(name = "allowed_regions")
    public String allowedRegions;

    @Column(name = "home_region")
    public String homeRegion;

    @Column(name = "version", nullable = false)
    public long version;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;
}
