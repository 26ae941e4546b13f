package io.meridian.policy;

import io.meridian.core.RegionPolicy;

import java.util.Optional;

/**
 * Told of every region-policy change inside the transaction that makes it, after the change is
 * written: what it writes commits or rolls back with the change. Live re-routing implements it.
 */
public interface RegionPolicyListener {

    /**
     * @param version     the policy's new version (a deletion's is the version of its history row)
     * @param restriction the account's restriction now; empty when the policy was deleted
     * @return live meetings of the account that use a region the change forbids
     */
    int changed(String accountId, long version, Optional<RegionPolicy.Restriction> restriction);
}
