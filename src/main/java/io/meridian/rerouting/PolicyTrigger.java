package io.meridian.rerouting;

import io.meridian.core.RegionPolicy;
import io.meridian.policy.RegionPolicyListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A region-policy change of an account: every change gets a job, since the account's live meetings
 * get their effective policy remade (request ∪ the new account policy) even when nobody moves; the
 * job moves the participants on regions the new policy forbids. Answers how many live meetings use
 * such a region now.
 */
@ApplicationScoped
class PolicyTrigger implements RegionPolicyListener {

    private final Triggers triggers;
    private final LiveMeetings meetings;

    @Inject
    PolicyTrigger(Triggers triggers, LiveMeetings meetings) {
        this.triggers = triggers;
        this.meetings = meetings;
    }

    @Override
    public int changed(String accountId, long version, Optional<RegionPolicy.Restriction> restriction) {
        try (Connection c = triggers.connection()) {
            triggers.enqueue(c, new RerouteCause.PolicyChange(accountId, version));
            return meetings.usingForbidden(c, accountId, restriction);
        } catch (SQLException e) {
            throw new PersistenceException("the re-routing job of a policy change could not be written", e);
        }
    }
}
