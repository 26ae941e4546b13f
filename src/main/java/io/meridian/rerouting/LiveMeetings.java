package io.meridian.rerouting;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.RegionPolicy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What re-routing needs of live meetings: which meetings a change concerns, and the move of their
 * participants, each meeting in one transaction under its row lock and the data centers' row locks.
 * Implemented by the live meetings (they own their tables); re-routing decides when and for which
 * change, never how a meeting's rows change.
 */
public interface LiveMeetings {

    /**
     * Live meetings of the account whose effective policy predates {@code version}, in id order,
     * after {@code afterId} (exclusive; empty string for the start).
     */
    List<String> ofAccountBefore(String accountId, long version, String afterId, int limit);

    /** Live meetings with participants on the data center, in id order, after {@code afterId}. */
    List<String> on(String dataCenter, String afterId, int limit);

    /** Every data center some live meeting has participants on. */
    java.util.Set<String> dataCentersInUse();

    /**
     * Live meetings of the account that use a region its new policy would forbid (the effective
     * policy remade from each meeting's own restriction and {@code account}), read on {@code c}, the
     * connection of the transaction that makes the change.
     *
     * @param account the account's new restriction; empty when its policy is deleted
     */
    int usingForbidden(Connection c, String accountId, Optional<RegionPolicy.Restriction> account) throws SQLException;

    /**
     * Fixes the meetings for one change: participants on data centers their (remade) policy forbids,
     * DOWN or gone from the model are re-placed at once or disconnected, the cascade recomputed,
     * and the events appended in the same transaction. Idempotent per meeting: one already fixed for
     * this change is skipped.
     */
    List<Fixed> fix(List<String> meetings, MoveOrder order);

    /**
     * The moves an account policy would cause now, changing nothing: each affected meeting's movers
     * re-placed by the same rule as a real move, each meeting against {@code snapshot} alone (the
     * moves of one meeting do not take room from the next, as they would in the real run). At most
     * {@code limit} meetings.
     */
    List<Preview> preview(String accountId, RegionPolicy.Restriction account, CapacitySnapshot snapshot, int limit);

    /**
     * One participant the change would make leave its data center.
     *
     * @param toDataCenter empty: it would be disconnected ({@code reason} says why)
     * @param reason       why it leaves (moved), or why it could not be placed (disconnected)
     */
    record Preview(String meeting, String meetingId, String participantId, String fromDataCenter, String fromRegion,
                   Optional<String> toDataCenter, Optional<String> toRegion, String reason) {
    }

    /**
     * What a change asks of each meeting.
     *
     * @param cause   the change, as the events name it
     * @param account for a policy change: the account's policy now and its version (the meeting's
     *                effective policy is remade from it); empty for a data-center change
     */
    record MoveOrder(RerouteCause cause, Optional<AccountPolicy> account) {
    }

    /**
     * An account's stored policy at a version; {@code restriction} empty when it has none (deleted).
     */
    record AccountPolicy(Optional<RegionPolicy.Restriction> restriction, long version) {
    }

    /**
     * What happened to one meeting.
     *
     * @param skipped      nothing to do: already fixed for this change, or ended
     * @param moved        participants moved to another data center
     * @param disconnected participants removed with nowhere to go
     */
    record Fixed(String meeting, boolean skipped, List<String> movedReasons, List<String> disconnectedReasons) {
        public Fixed {
            movedReasons = List.copyOf(movedReasons);
            disconnectedReasons = List.copyOf(disconnectedReasons);
        }

        public int moved() {
            return movedReasons.size();
        }

        public int disconnected() {
            return disconnectedReasons.size();
        }
    }
}
