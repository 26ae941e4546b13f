package io.meridian.meeting;

import io.meridian.core.GeoPoint;
import io.meridian.core.RegionPolicy;
import io.meridian.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The statements on the meeting tables ({@code meeting}, {@code meeting_participant},
 * {@code meeting_site}): batched, a few per transaction whatever the number of jobs, none that reads
 * a meeting's participants except by key or by the index of the largest RTTs on one data center.
 */
final class MeetingSql {

    private static final String MEETING_COLUMNS = "id, label, account_id, created_by, created_at, request_blocked, "
            + "request_allowed, blocked_regions, allowed_regions, policy_sources, policy_version, reservation_id, "
            + "cascade_links";

    private static final String PARTICIPANT_COLUMNS = "meeting_id, participant_id, data_center_id, rtt_ms, measured, "
            + "latitude, longitude, measured_rtts, joined_at";

    private MeetingSql() {
    }

    static void insert(Connection c, MeetingRows.Meeting m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into meeting (" + MEETING_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.id());
            ps.setString(2, m.label());
            ps.setString(3, m.accountId());
            ps.setString(4, m.createdBy());
            ps.setObject(5, Jdbc.time(m.createdAt()));
            ps.setString(6, MeetingRows.codes(m.request().blocked()));
            setNullable(ps, 7, m.request().allowed().map(MeetingRows::codes).orElse(null));
            ps.setString(8, MeetingRows.codes(m.policy().blockedRegions()));
            setNullable(ps, 9, m.policy().allowedRegions().map(MeetingRows::codes).orElse(null));
            ps.setString(10, String.join(",", m.policy().sources()));
            ps.setLong(11, m.policyVersion());
            setNullable(ps, 12, m.reservationId().orElse(null));
            setNullable(ps, 13, MeetingRows.cascade(m.cascade()));
            ps.executeUpdate();
        }
    }

    private static void setNullable(PreparedStatement ps, int i, String value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, value);
        }
    }

    /** Locks the meetings' rows in id order (before any data center's) and reads them. */
    static Map<String, MeetingRows.Meeting> lock(Connection c, Collection<String> ids) throws SQLException {
        return meetings(c, ids, " order by id for update");
    }

    /** Reads meetings without locking them. */
    static Map<String, MeetingRows.Meeting> find(Connection c, Collection<String> ids) throws SQLException {
        return meetings(c, ids, "");
    }

    private static Map<String, MeetingRows.Meeting> meetings(Connection c, Collection<String> ids, String tail)
            throws SQLException {
        Map<String, MeetingRows.Meeting> rows = new HashMap<>();
        if (ids.isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + MEETING_COLUMNS + " from meeting where id in ("
                + Jdbc.marks(ids.size()) + ")" + tail)) {
            Jdbc.bind(ps, 1, ids);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    RegionPolicy.Restriction request = new RegionPolicy.Restriction("request",
                            MeetingRows.codes(r.getString(6)), Optional.ofNullable(r.getString(7)).map(MeetingRows::codes));
                    RegionPolicy policy = new RegionPolicy(MeetingRows.codes(r.getString(8)),
                            Optional.ofNullable(r.getString(9)).map(MeetingRows::codes),
                            MeetingRows.sources(r.getString(10)));
                    rows.put(r.getString(1), new MeetingRows.Meeting(r.getString(1), r.getString(2), r.getString(3),
                            r.getString(4), Jdbc.instant(r, 5), request, policy, r.getLong(11),
                            Optional.ofNullable(r.getString(12)), MeetingRows.cascade(r.getString(13))));
                }
            }
        }
        return rows;
    }

    /** The aggregates of the given meetings: meeting → data center → site. */
    static Map<String, Map<String, MeetingRows.Site>> sites(Connection c, Collection<String> ids) throws SQLException {
        Map<String, Map<String, MeetingRows.Site>> sites = new HashMap<>();
        if (ids.isEmpty()) {
            return sites;
        }
        try (PreparedStatement ps = c.prepareStatement("select meeting_id, data_center_id, participants, rtt_sum_us, "
                + "top1_rtt_ms, top2_rtt_ms from meeting_site where meeting_id in (" + Jdbc.marks(ids.size()) + ")")) {
            Jdbc.bind(ps, 1, ids);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    double top2 = r.getDouble(6);
                    if (r.wasNull()) {
                        top2 = Double.NEGATIVE_INFINITY;
                    }
                    sites.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2),
                            new MeetingRows.Site(r.getString(2), r.getInt(3), r.getLong(4), r.getDouble(5), top2));
                }
            }
        }
        return sites;
    }

    /**
     * The participants present among the given ones, by primary key: meeting → participant → row.
     * One statement: both key columns by list, the pairs not asked for dropped here.
     */
    static Map<String, Map<String, MeetingRows.Present>> present(Connection c, Map<String, Set<String>> wanted)
            throws SQLException {
        Map<String, Map<String, MeetingRows.Present>> present = new HashMap<>();
        if (wanted.isEmpty()) {
            return present;
        }
        Set<String> participants = new java.util.TreeSet<>();
        wanted.values().forEach(participants::addAll);
        try (PreparedStatement ps = c.prepareStatement("select " + PARTICIPANT_COLUMNS + " from meeting_participant "
                + "where meeting_id in (" + Jdbc.marks(wanted.size()) + ") and participant_id in ("
                + Jdbc.marks(participants.size()) + ")")) {
            int next = Jdbc.bind(ps, 1, wanted.keySet());
            Jdbc.bind(ps, next, participants);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    String meeting = r.getString(1);
                    MeetingRows.Present row = present(r);
                    if (wanted.getOrDefault(meeting, Set.of()).contains(row.participantId())) {
                        present.computeIfAbsent(meeting, k -> new HashMap<>()).put(row.participantId(), row);
                    }
                }
            }
        }
        return present;
    }

    private static MeetingRows.Present present(ResultSet r) throws SQLException {
        return new MeetingRows.Present(r.getString(2), r.getString(3), r.getDouble(4), r.getBoolean(5),
                new GeoPoint(r.getDouble(6), r.getDouble(7)), MeetingRows.measured(r.getString(8)), Jdbc.instant(r, 9));
    }

    /** Everyone present in one meeting, by time of joining (the meeting view; never on the join path). */
    static List<MeetingRows.Present> everyone(Connection c, String meeting) throws SQLException {
        List<MeetingRows.Present> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + PARTICIPANT_COLUMNS + " from meeting_participant "
                + "where meeting_id = ? order by joined_at, participant_id")) {
            ps.setString(1, meeting);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    all.add(present(r));
                }
            }
        }
        return all;
    }

    /** The {@code limit} largest RTTs on one data center of a meeting, largest first, with their participants. */
    static List<Map.Entry<String, Double>> largestRtts(Connection c, String meeting, String dataCenter, int limit)
            throws SQLException {
        List<Map.Entry<String, Double>> top = new ArrayList<>(limit);
        try (PreparedStatement ps = c.prepareStatement("select participant_id, rtt_ms from meeting_participant "
                + "where meeting_id = ? and data_center_id = ? order by rtt_ms desc limit ?")) {
            ps.setString(1, meeting);
            ps.setString(2, dataCenter);
            ps.setInt(3, limit);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    top.add(Map.entry(r.getString(1), r.getDouble(2)));
                }
            }
        }
        return top;
    }

    static void insertParticipants(Connection c, List<Map.Entry<String, MeetingRows.Present>> added) throws SQLException {
        if (added.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into meeting_participant (" + PARTICIPANT_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, MeetingRows.Present> e : added) {
                MeetingRows.Present p = e.getValue();
                ps.setString(1, e.getKey());
                ps.setString(2, p.participantId());
                ps.setString(3, p.dataCenter());
                ps.setDouble(4, p.rttMs());
                ps.setBoolean(5, p.measured());
                ps.setDouble(6, p.location().latitude());
                ps.setDouble(7, p.location().longitude());
                setNullable(ps, 8, MeetingRows.measured(p.measuredRtts()));
                ps.setObject(9, Jdbc.time(p.joinedAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void deleteParticipants(Connection c, List<Map.Entry<String, String>> removed) throws SQLException {
        if (removed.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "delete from meeting_participant where meeting_id = ? and participant_id = ?")) {
            for (Map.Entry<String, String> e : removed) {
                ps.setString(1, e.getKey());
                ps.setString(2, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A site row to write: inserted, updated, or (no participants) deleted. */
    record SiteWrite(String meeting, MeetingRows.Site site, boolean stored) {
    }

    static void writeSites(Connection c, List<SiteWrite> writes) throws SQLException {
        List<SiteWrite> inserts = new ArrayList<>();
        List<SiteWrite> updates = new ArrayList<>();
        List<SiteWrite> deletes = new ArrayList<>();
        for (SiteWrite w : writes) {
            if (w.site().participants() == 0) {
                if (w.stored()) {
                    deletes.add(w);
                }
            } else {
                (w.stored() ? updates : inserts).add(w);
            }
        }
        sites(c, "insert into meeting_site (participants, rtt_sum_us, top1_rtt_ms, top2_rtt_ms, meeting_id, "
                + "data_center_id) values (?, ?, ?, ?, ?, ?)", inserts);
        sites(c, "update meeting_site set participants = ?, rtt_sum_us = ?, top1_rtt_ms = ?, top2_rtt_ms = ? "
                + "where meeting_id = ? and data_center_id = ?", updates);
        if (!deletes.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "delete from meeting_site where meeting_id = ? and data_center_id = ?")) {
                for (SiteWrite w : deletes) {
                    ps.setString(1, w.meeting());
                    ps.setString(2, w.site().dataCenter());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static void sites(Connection c, String sql, List<SiteWrite> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (SiteWrite w : writes) {
                MeetingRows.Site s = w.site();
                ps.setInt(1, s.participants());
                ps.setLong(2, s.rttSumMicros());
                ps.setDouble(3, s.top1());
                if (s.participants() < 2) {
                    ps.setNull(4, Types.DOUBLE);
                } else {
                    ps.setDouble(4, s.top2());
                }
                ps.setString(5, w.meeting());
                ps.setString(6, s.dataCenter());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** New sticky cascades of meetings (null: nobody in). */
    static void writeCascades(Connection c, Map<String, String> cascades) throws SQLException {
        if (cascades.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("update meeting set cascade_links = ? where id = ?")) {
            for (Map.Entry<String, String> e : new TreeMap<>(cascades).entrySet()) {
                setNullable(ps, 1, e.getValue());
                ps.setString(2, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Removes ended meetings with their participants and aggregates. */
    static void delete(Connection c, Set<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        for (String table : List.of("meeting_participant", "meeting_site")) {
            try (PreparedStatement ps = c.prepareStatement("delete from " + table + " where meeting_id in ("
                    + Jdbc.marks(ids.size()) + ")")) {
                Jdbc.bind(ps, 1, ids);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("delete from meeting where id in (" + Jdbc.marks(ids.size())
                + ")")) {
            Jdbc.bind(ps, 1, ids);
            ps.executeUpdate();
        }
    }

    /** The participants of one meeting on the given data centers (the index of the largest RTTs serves it). */
    static List<MeetingRows.Present> on(Connection c, String meeting, Collection<String> dataCenters)
            throws SQLException {
        List<MeetingRows.Present> rows = new ArrayList<>();
        if (dataCenters.isEmpty()) {
            return rows;
        }
        try (PreparedStatement ps = c.prepareStatement("select " + PARTICIPANT_COLUMNS + " from meeting_participant "
                + "where meeting_id = ? and data_center_id in (" + Jdbc.marks(dataCenters.size()) + ")")) {
            ps.setString(1, meeting);
            Jdbc.bind(ps, 2, dataCenters);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    rows.add(present(r));
                }
            }
        }
        return rows;
    }

    /** Remade effective policies of meetings (an account's policy changed). */
    static void writePolicies(Connection c, Collection<MeetingRows.Meeting> meetings) throws SQLException {
        if (meetings.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("update meeting set blocked_regions = ?, allowed_regions = ?, "
                + "policy_sources = ?, policy_version = ? where id = ?")) {
            for (MeetingRows.Meeting m : meetings) {
                ps.setString(1, MeetingRows.codes(m.policy().blockedRegions()));
                setNullable(ps, 2, m.policy().allowedRegions().map(MeetingRows::codes).orElse(null));
                ps.setString(3, String.join(",", m.policy().sources()));
                ps.setLong(4, m.policyVersion());
                ps.setString(5, m.id());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Ids of live meetings of an account whose policy predates {@code version}, in id order. */
    static List<String> ofAccountBefore(Connection c, String account, long version, String after, int limit)
            throws SQLException {
        return ids(c, "select id from meeting where account_id = ? and policy_version < ? and id > ? order by id "
                + "limit ?", ps -> {
                    ps.setString(1, account);
                    ps.setLong(2, version);
                    ps.setString(3, after);
                    ps.setInt(4, limit);
                });
    }

    /** Every data center with participants of some live meeting. */
    static Set<String> dataCentersInUse(Connection c) throws SQLException {
        return new java.util.TreeSet<>(ids(c, "select distinct data_center_id from meeting_site where participants > 0",
                ps -> { }));
    }

    /** Ids of live meetings with participants on a data center, in id order. */
    static List<String> on(Connection c, String dataCenter, String after, int limit) throws SQLException {
        return ids(c, "select meeting_id from meeting_site where data_center_id = ? and participants > 0 "
                + "and meeting_id > ? order by meeting_id limit ?", ps -> {
                    ps.setString(1, dataCenter);
                    ps.setString(2, after);
                    ps.setInt(3, limit);
                });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static List<String> ids(Connection c, String sql, Binder binder) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }

    /** A meeting's own restriction and a data center it uses. */
    record Use(String meeting, RegionPolicy.Restriction request, String dataCenter) {
    }

    /** Every data center each live meeting of the account uses, with the meeting's own restriction. */
    static List<Use> uses(Connection c, String account) throws SQLException {
        List<Use> uses = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select m.id, m.request_blocked, m.request_allowed, "
                + "s.data_center_id from meeting m join meeting_site s on s.meeting_id = m.id "
                + "where m.account_id = ? and s.participants > 0")) {
            ps.setString(1, account);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    uses.add(new Use(r.getString(1), new RegionPolicy.Restriction("request",
                            MeetingRows.codes(r.getString(2)), Optional.ofNullable(r.getString(3)).map(MeetingRows::codes)),
                            r.getString(4)));
                }
            }
        }
        return uses;
    }

    /** Live meetings, for the gauge. */
    static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from meeting");
             ResultSet r = ps.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }
}
