package io.meridian.records;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The traffic report's arithmetic over one account's records of a window: the rules of what counts,
 * in one place. Records are added one by one, in any order.
 *
 * <ul>
 *   <li>Only records that place participants count (plans, bridge selections, joins, moves; leaves,
 *       ends and disconnects place nobody).</li>
 *   <li>Meetings are counted by distinct meeting id; a record without one is a meeting of its own,
 *       except a Jicofo bridge selection (which names no conference): it counts only when it chose a
 *       conference's first bridge, which its record marks as primary.</li>
 *   <li>A policy violation is a placing record that used a region its own recorded effective policy
 *       blocked or left out of its allow-list ({@link RoutingRecord#violatesPolicy()}).</li>
 * </ul>
 */
public final class TrafficTally {

    /**
     * Totals of the window: plans (bridge selections not included), participants placed, meetings,
     * records that broke their own policy, bridge selections and live-meeting joins.
     */
    public record Totals(long plans, long participants, long meetings, long policyViolations, long bridgeSelections,
                         long joins) {
    }

    /** One region's share. */
    public record RegionTotals(String region, long participants, long meetings) {
    }

    private long plans;
    private long participants;
    private long violations;
    private long selections;
    private long joins;
    private final Set<String> meetings = new HashSet<>();
    private final Map<String, long[]> regionParticipants = new HashMap<>();
    private final Map<String, Set<String>> regionMeetings = new HashMap<>();

    /** Adds a record of the account's window. */
    public void add(RoutingRecord r) {
        if (!r.kind().places()) {
            return;
        }
        boolean selection = RoutingRecord.BRIDGE_SELECTION.equals(r.strategy());
        if (r.kind() == RoutingRecord.Kind.PLAN && !selection) {
            plans++;
        }
        if (selection) {
            selections++;
        }
        if (r.kind() == RoutingRecord.Kind.JOIN) {
            joins++;
        }
        participants += r.participants();
        if (r.violatesPolicy()) {
            violations++;
        }
        String meeting = meetingKey(r, selection);
        if (meeting != null) {
            meetings.add(meeting);
        }
        for (RoutingRecord.Site s : r.dataCenters()) {
            regionParticipants.computeIfAbsent(s.region(), k -> new long[1])[0] += s.participants();
            Set<String> inRegion = regionMeetings.computeIfAbsent(s.region(), k -> new HashSet<>());
            if (meeting != null) {
                inRegion.add(meeting);
            }
        }
    }

    /**
     * What identifies the record's meeting among the window's meetings; null when it counts as none
     * (a bridge selection that did not choose a conference's first bridge). The prefixes keep a
     * client's meeting id apart from a plan id.
     */
    private static String meetingKey(RoutingRecord r, boolean selection) {
        if (r.meetingId() != null) {
            return "m:" + r.meetingId();
        }
        if (selection && r.dataCenters().stream().noneMatch(RoutingRecord.Site::primary)) {
            return null;
        }
        return "p:" + r.planId();
    }

    public Totals totals() {
        return new Totals(plans, participants, meetings.size(), violations, selections, joins);
    }

    /** Participants and meetings per region used, by participants (descending), then code. */
    public List<RegionTotals> byRegion() {
        List<RegionTotals> rows = new ArrayList<>();
        regionParticipants.forEach((region, sum) ->
                rows.add(new RegionTotals(region, sum[0], regionMeetings.get(region).size())));
        rows.sort(Comparator.comparingLong(RegionTotals::participants).reversed()
                .thenComparing(RegionTotals::region));
        return rows;
    }
}
