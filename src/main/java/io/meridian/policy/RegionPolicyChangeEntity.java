package io.meridian.policy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One recorded change of an account's region policy, written in the transaction of the change. */
@Entity
@Table(name = "region_policy_change")
public class RegionPolicyChangeEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    @Column(name = "version", nullable = false)
    public long version;

    /** CREATE, UPDATE or DELETE. */
    @Column(name = "action", nullable = false)
    public String action;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    /** The policy after the change; for DELETE, the policy that was removed. */
    @Column(name = "blocked_regions", nullable = false)
    public String blockedRegions;

    @Column(name = "allowed_regions")
    public String allowedRegions;

    @Column(name = "home_region")
    public String homeRegion;
}
