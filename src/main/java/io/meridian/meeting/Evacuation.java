package io.meridian.meeting;

import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.ExclusionReason;
import io.meridian.core.MoveReplacement;
import io.meridian.core.RoutingOptions;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one way a meeting's move is worked out, for the real move ({@link MoveBatch}) and its what-if
 * alike: who must leave which data center and why ({@link MoveReplacement#mustLeave}), read from the
 * participants on those data centers only, the meeting without them, and the core's re-placement of
 * them all at once. Changes nothing in the database; the real move then takes and gives back the
 * places and writes the meeting.
 */
final class Evacuation {

    private Evacuation() {
    }

    /**
     * @param meeting the meeting as this transaction holds it, its movers already removed
     * @param leaving the data centers to leave, with why
     * @param movers  the participants leaving, by id
     * @param outcome where each goes (or that it is disconnected)
     */
    record Plan(OpenMeeting meeting, Map<String, ExclusionReason> leaving, Map<String, MeetingRows.Present> movers,
                MoveReplacement.Outcome outcome) {
    }

    /**
     * @param stored   the meeting's row as stored
     * @param remade   the row under the policy it must obey now ({@code stored} itself when unchanged)
     * @param reserved places the meeting's reservation still keeps, per data center
     */
    static Plan plan(Connection c, MeetingRows.Meeting stored, MeetingRows.Meeting remade,
                     Map<String, MeetingRows.Site> sites, Map<String, Integer> reserved, CapacitySnapshot snapshot,
                     MoveReplacement replacement, RoutingOptions options, DataCenterModel model) throws SQLException {
        Map<String, ExclusionReason> leaving = new TreeMap<>();
        for (MeetingRows.Site s : sites.values()) {
            if (s.participants() > 0) {
                MoveReplacement.mustLeave(s.dataCenter(), remade.policy(), snapshot)
                        .ifPresent(r -> leaving.put(s.dataCenter(), r));
            }
        }
        List<MeetingRows.Present> movers = MeetingSql.on(c, stored.id(), leaving.keySet());
        Map<String, MeetingRows.Present> byId = new HashMap<>();
        movers.forEach(p -> byId.put(p.participantId(), p));
        OpenMeeting m = new OpenMeeting(stored, sites, byId);
        if (remade != stored) {
            m.repolicy(remade);
        }
        if (movers.isEmpty()) {
            return new Plan(m, leaving, byId, null);
        }
        for (MeetingRows.Present p : movers) {
            m.leave(p, c, model);
        }
        MoveReplacement.Outcome outcome = replacement.replace(movers.stream()
                .map(p -> new MoveReplacement.Mover(p.participant(), p.dataCenter())).toList(),
                m.meetingSites(reserved), remade.policy(), snapshot, options);
        return new Plan(m, leaving, byId, outcome);
    }
}
