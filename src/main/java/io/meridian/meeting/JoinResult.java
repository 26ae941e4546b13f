package io.meridian.meeting;

import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingPlan;

import java.util.List;

/** What a join answers. */
sealed interface JoinResult {

    /** Placed now (201), or already present (200, nothing changed). */
    record Placed(MeetingViews.JoinView view, boolean created) implements JoinResult {
    }

    /** No such live meeting of this caller (404). */
    record NotFound() implements JoinResult {
    }

    /** The meeting's effective policy leaves no region with a data center (422). */
    record NoRegion(RegionPolicy policy) implements JoinResult {
    }

    /** Permitted data centers exist, but none can take the participant (503); nothing was held. */
    record NoCapacity(List<RoutingPlan.Exclusion> excluded) implements JoinResult {
    }

    /** The meeting has as many participants as one meeting may have (413). */
    record Full(int limit) implements JoinResult {
    }
}
