package io.meridian.meeting;

import io.meridian.core.DataCenterModel;
import io.meridian.core.MeetingSites;
import io.meridian.core.MeetingTopology;
import io.meridian.db.Pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One live meeting inside one batch transaction: its row (locked), its aggregates per data center,
 * the participants the batch asked about, and what the batch changed, written at the end. Nothing
 * here reads the meeting's participant list: a leave that may change a data center's two largest
 * RTTs reads just those from their index (on PostgreSQL read ahead with the meeting's row, in the
 * batch's first round trip; elsewhere by a statement of its own).
 */
final class OpenMeeting {

    MeetingRows.Meeting row;
    private final Map<String, MeetingRows.Site> sites;
    private final Set<String> changedSites = new HashSet<>();
    private final Map<String, MeetingRows.Present> stored;
    private final Map<String, MeetingRows.Present> added = new LinkedHashMap<>();
    private final Set<String> removed = new HashSet<>();
    private final Map<String, MeetingSql.Largest> largest;
    private Optional<MeetingSites.Cascade> cascade;
    private boolean cascadeChanged;
    private boolean policyChanged;
    private boolean ended;

    OpenMeeting(MeetingRows.Meeting row, Map<String, MeetingRows.Site> sites, Map<String, MeetingRows.Present> present) {
        this(row, sites, present, Map.of());
    }

    /** {@code largest}: per data center, its largest RTTs as read with the meeting (may be none). */
    OpenMeeting(MeetingRows.Meeting row, Map<String, MeetingRows.Site> sites, Map<String, MeetingRows.Present> present,
                Map<String, MeetingSql.Largest> largest) {
        this.row = row;
        this.sites = new TreeMap<>(sites);
        this.stored = new HashMap<>(present);
        this.largest = largest;
        this.cascade = row.cascade();
    }

    boolean ownedBy(String caller) {
        return row.createdBy().equals(caller);
    }

    /** The meeting's cascade as this batch left it so far; empty while nobody is in. */
    Optional<MeetingSites.Cascade> cascade() {
        return cascade;
    }

    boolean ended() {
        return ended;
    }

    void end() {
        ended = true;
    }

    /** The participant, if present (as the database had it, with this batch's joins and leaves). */
    Optional<MeetingRows.Present> present(String participantId) {
        MeetingRows.Present p = added.get(participantId);
        if (p != null) {
            return Optional.of(p);
        }
        return removed.contains(participantId) ? Optional.empty() : Optional.ofNullable(stored.get(participantId));
    }

    int participants() {
        int n = 0;
        for (MeetingRows.Site s : sites.values()) {
            n += s.participants();
        }
        return n;
    }

    /** The aggregates as join placement reads them, with the places the meeting's reservation keeps. */
    MeetingSites meetingSites(Map<String, Integer> reservedPlaces) {
        List<MeetingSites.Site> list = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (MeetingRows.Site s : sites.values()) {
            list.add(site(s, reservedPlaces.getOrDefault(s.dataCenter(), 0)));
            seen.add(s.dataCenter());
        }
        reservedPlaces.forEach((dc, n) -> {
            if (!seen.contains(dc)) {
                list.add(new MeetingSites.Site(dc, 0, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, n));
            }
        });
        return new MeetingSites(list, cascade);
    }

    private static MeetingSites.Site site(MeetingRows.Site s, int reserved) {
        return new MeetingSites.Site(s.dataCenter(), s.participants(), s.rttSumMicros() / 1000.0, s.top1(), s.top2(),
                reserved);
    }

    /** The cascade, data centers and latency figures of the meeting now. */
    MeetingTopology topology(DataCenterModel model) {
        return MeetingTopology.of(meetingSites(Map.of()), model);
    }

    /** Adds a participant placed on its data center; re-links the cascade when it opened one. */
    void join(MeetingRows.Present p, DataCenterModel model) {
        MeetingRows.Site old = sites.get(p.dataCenter());
        double rtt = p.rttMs();
        MeetingRows.Site joined;
        if (old == null || old.participants() == 0) {
            joined = new MeetingRows.Site(p.dataCenter(), 1, MeetingRows.micros(rtt), rtt, Double.NEGATIVE_INFINITY);
        } else {
            double top1 = old.top1();
            double top2 = old.top2();
            if (rtt >= top1) {
                top2 = top1;
                top1 = rtt;
            } else if (rtt > top2) {
                top2 = rtt;
            }
            joined = new MeetingRows.Site(p.dataCenter(), old.participants() + 1,
                    old.rttSumMicros() + MeetingRows.micros(rtt), top1, top2);
        }
        sites.put(p.dataCenter(), joined);
        changedSites.add(p.dataCenter());
        // one that left and joined again in this batch: its stored row stays removed, the new one is added
        added.put(p.participantId(), p);
        if (joined.participants() == 1) {
            relink(model);
        }
    }

    /**
     * Removes a participant; reads the two largest RTTs left on its data center from their index when
     * the one leaving may have been one of them. Re-links the cascade when the data center emptied.
     */
    void leave(MeetingRows.Present p, Connection c, DataCenterModel model) throws SQLException {
        String dc = p.dataCenter();
        MeetingRows.Site old = sites.get(dc);
        if (added.remove(p.participantId()) == null) {
            removed.add(p.participantId());
        }
        int left = old.participants() - 1;
        long sum = Math.max(0, old.rttSumMicros() - MeetingRows.micros(p.rttMs()));
        MeetingRows.Site after;
        if (left == 0) {
            after = new MeetingRows.Site(dc, 0, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
        } else if (left == 1) {
            double remaining = p.rttMs() >= old.top1() ? old.top2() : old.top1();
            after = new MeetingRows.Site(dc, 1, sum, remaining, Double.NEGATIVE_INFINITY);
        } else if (p.rttMs() < old.top2()) {
            after = new MeetingRows.Site(dc, left, sum, old.top1(), old.top2());
        } else {
            double[] top = largestTwo(c, dc);
            after = new MeetingRows.Site(dc, left, sum, top[0], top[1]);
        }
        sites.put(dc, after);
        changedSites.add(dc);
        if (left == 0) {
            relink(model);
        }
    }

    /** The two largest RTTs on {@code dc} among those present after this batch's changes so far. */
    private double[] largestTwo(Connection c, String dc) throws SQLException {
        int gone = 0;
        for (String id : removed) {
            MeetingRows.Present p = stored.get(id);
            if (p != null && p.dataCenter().equals(dc)) {
                gone++;
            }
        }
        List<Double> rtts = new ArrayList<>();
        MeetingSql.Largest read = largest.get(dc);
        // the largest read with the meeting serve while they still hold two more than have gone
        List<Map.Entry<String, Double>> stillStored = read != null && read.limit() >= 2 + gone ? read.rtts()
                : MeetingSql.largestRtts(c, row.id(), dc, 2 + gone);
        for (Map.Entry<String, Double> e : stillStored) {
            if (!removed.contains(e.getKey())) {
                rtts.add(e.getValue());
            }
        }
        for (MeetingRows.Present p : added.values()) {
            if (p.dataCenter().equals(dc)) {
                rtts.add(p.rttMs());
            }
        }
        rtts.sort(java.util.Comparator.reverseOrder());
        return new double[] {rtts.get(0), rtts.size() > 1 ? rtts.get(1) : Double.NEGATIVE_INFINITY};
    }

    private void relink(DataCenterModel model) {
        MeetingSites current = new MeetingSites(aggregates(), Optional.empty());
        cascade = current.used().isEmpty() ? Optional.empty() : MeetingTopology.of(current, model).cascade();
        cascadeChanged = true;
    }

    private List<MeetingSites.Site> aggregates() {
        List<MeetingSites.Site> list = new ArrayList<>();
        for (MeetingRows.Site s : sites.values()) {
            if (s.participants() > 0) {
                list.add(site(s, 0));
            }
        }
        return list;
    }

    /** Gives the meeting another effective policy (its account's policy changed). */
    void repolicy(MeetingRows.Meeting remade) {
        row = remade;
        policyChanged = true;
    }

    /** Fixes the cascade (recomputed after a move); answers whether it changed. */
    boolean recascade(Optional<MeetingSites.Cascade> recomputed) {
        if (recomputed.equals(cascade)) {
            return false;
        }
        cascade = recomputed;
        cascadeChanged = true;
        return true;
    }

    /** Adds what this batch changed in the meeting to the batch's writes. */
    void collect(MeetingWrites writes) {
        if (ended) {
            writes.ended.add(row.id());
            return;
        }
        for (String id : removed) {
            if (stored.containsKey(id)) {
                writes.removed.add(Map.entry(row.id(), id));
            }
        }
        added.values().forEach(p -> writes.added.add(Map.entry(row.id(), p)));
        for (String dc : changedSites) {
            writes.sites.add(new MeetingSql.SiteWrite(row.id(), sites.get(dc)));
        }
        if (cascadeChanged) {
            writes.cascades.put(row.id(), MeetingRows.cascade(cascade));
        }
        if (policyChanged) {
            writes.policies.add(row);
        }
    }

    /** Everything a batch writes to the meeting tables. */
    static final class MeetingWrites {
        final List<Map.Entry<String, MeetingRows.Present>> added = new ArrayList<>();
        final List<Map.Entry<String, String>> removed = new ArrayList<>();
        final List<MeetingSql.SiteWrite> sites = new ArrayList<>();
        final Map<String, String> cascades = new TreeMap<>();
        final Set<String> ended = new java.util.TreeSet<>();
        final List<MeetingRows.Meeting> policies = new ArrayList<>();

        /** Adds the statements to {@code p}, which the batch then sends with the rest of its writes. */
        void write(Pipeline p) {
            // deletes before inserts: a participant that left and joined again in one batch
            MeetingSql.deleteParticipants(p, removed);
            MeetingSql.insertParticipants(p, added);
            MeetingSql.writeSites(p, sites);
            MeetingSql.writeCascades(p, cascades);
            MeetingSql.writePolicies(p, policies);
            MeetingSql.delete(p, ended);
        }
    }
}
