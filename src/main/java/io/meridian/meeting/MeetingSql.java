package io.meridian.meeting;

import io.meridian.core.GeoPoint;
import io.meridian.core.RegionPolicy;
import io.meridian.db.Jdbc;
import io.meridian.db.Pipeline;
import io.meridian.ledger.LiveTransaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    /** {@link #PARTICIPANT_COLUMNS} of the table named {@code p} in a join. */
    private static final String PRESENT_COLUMNS = PARTICIPANT_COLUMNS.replaceAll("(\\w+)", "p.$1");

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

    /** Locks the meetings' rows in id order (before any data center's) and reads them into {@code rows}. */
    static void lock(Pipeline p, Collection<String> ids, Map<String, MeetingRows.Meeting> rows) {
        meetings(p, ids, " order by id for update", rows);
    }

    /** What a batch of meeting jobs reads first: the meetings' rows, those that hold places, their aggregates. */
    record Locked(Map<String, MeetingRows.Meeting> rows, Set<String> holders,
                  Map<String, Map<String, MeetingRows.Site>> sites,
                  Map<String, Map<String, MeetingRows.Present>> present,
                  Map<String, Map<String, Largest>> largest) {
    }

    /**
     * The {@code limit} largest RTTs on one data center of a meeting, largest first, with their
     * participants: fewer than {@code limit} when that is everyone there.
     */
    record Largest(int limit, List<Map.Entry<String, Double>> rtts) {
    }

    /**
     * The start of a batch, in one round trip: bounds its lock waits, locks the meetings' rows (id
     * order, before any data center's), then reads what they hold through {@code live}, their
     * aggregates and the participants {@code asked} about: statements after the lock, so they see
     * the writes of a transaction the lock waited for. Then {@code live} begins at the clock after
     * the locks.
     */
    static Locked lockAndRead(Connection c, Duration lockWait, LiveTransaction live, Set<String> ids,
                              Map<String, Set<String>> asked) throws SQLException {
        return lockAndRead(c, lockWait, live, ids, asked, Map.of());
    }

    /**
     * The same, and on PostgreSQL also, for every data center a participant in {@code leaving} is
     * on, its meeting's largest RTTs there: enough (two, plus one per participant of that meeting
     * leaving in this batch) that a leave taking one of the two largest needs no read of its own.
     */
    static Locked lockAndRead(Connection c, Duration lockWait, LiveTransaction live, Set<String> ids,
                              Map<String, Set<String>> asked, Map<String, Set<String>> leaving) throws SQLException {
        Map<String, MeetingRows.Meeting> rows = new HashMap<>();
        Map<String, Map<String, MeetingRows.Site>> sites = new HashMap<>();
        Map<String, Map<String, MeetingRows.Present>> present = new HashMap<>();
        Map<String, Map<String, Largest>> largest = new HashMap<>();
        Pipeline reads = Pipeline.on(c).limitLockWait(lockWait).keyLookups();
        lock(reads, ids, rows);
        live.read(reads, ids);
        sites(reads, ids, sites);
        present(reads, asked, present);
        if (reads.onPostgresql()) {
            largestWhereLeaving(reads, leaving, largest);
        }
        reads.run();
        // the clock after the meetings' locks, which may have been waited for
        Set<String> holders = live.begin(Instant.now().truncatedTo(ChronoUnit.MICROS), rows.keySet());
        return new Locked(rows, holders, sites, present, largest);
    }

    /**
     * PostgreSQL only (LATERAL): per meeting and data center of the participants {@code leaving},
     * the largest RTTs there, through the index of the largest RTTs (a few rows each, whatever the
     * meeting's size).
     */
    private static void largestWhereLeaving(Pipeline p, Map<String, Set<String>> leaving,
                                            Map<String, Map<String, Largest>> largest) {
        List<String> meetings = new ArrayList<>();
        List<String> participants = new ArrayList<>();
        List<Integer> limits = new ArrayList<>();
        leaving.forEach((meeting, ids) -> ids.forEach(id -> {
            meetings.add(meeting);
            participants.add(id);
            limits.add(2 + ids.size());
        }));
        if (meetings.isEmpty()) {
            return;
        }
        p.query("select l.meeting_id, l.data_center_id, l.k, t.participant_id, t.rtt_ms from (select p.meeting_id, "
                + "p.data_center_id, max(u.k) as k from unnest(?, ?, ?) as u(meeting_id, participant_id, k) "
                + "join meeting_participant p on p.meeting_id = u.meeting_id and p.participant_id = u.participant_id "
                + "group by p.meeting_id, p.data_center_id) l cross join lateral (select q.participant_id, q.rtt_ms "
                + "from meeting_participant q where q.meeting_id = l.meeting_id and q.data_center_id = l.data_center_id "
                + "order by q.rtt_ms desc limit l.k) t order by l.meeting_id, l.data_center_id, t.rtt_ms desc",
                b -> b.texts(meetings).texts(participants).integers(limits), r -> {
                    while (r.next()) {
                        int limit = r.getInt(3);
                        largest.computeIfAbsent(r.getString(1), k -> new HashMap<>())
                                .computeIfAbsent(r.getString(2), k -> new Largest(limit, new ArrayList<>()))
                                .rtts().add(Map.entry(r.getString(4), r.getDouble(5)));
                    }
                });
    }

    /** Reads meetings without locking them. */
    static Map<String, MeetingRows.Meeting> find(Connection c, Collection<String> ids) throws SQLException {
        Map<String, MeetingRows.Meeting> rows = new HashMap<>();
        Pipeline p = Pipeline.on(c);
        meetings(p, ids, "", rows);
        p.run();
        return rows;
    }

    private static void meetings(Pipeline p, Collection<String> ids, String tail, Map<String, MeetingRows.Meeting> rows) {
        if (ids.isEmpty()) {
            return;
        }
        p.query("select " + MEETING_COLUMNS + " from meeting where id = any(?)" + tail, b -> b.texts(ids), r -> {
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
        });
    }

    /** The aggregates of the given meetings: meeting → data center → site. */
    static Map<String, Map<String, MeetingRows.Site>> sites(Connection c, Collection<String> ids) throws SQLException {
        Map<String, Map<String, MeetingRows.Site>> sites = new HashMap<>();
        Pipeline p = Pipeline.on(c);
        sites(p, ids, sites);
        p.run();
        return sites;
    }

    /** Reads the aggregates of the given meetings into {@code sites}: meeting → data center → site. */
    static void sites(Pipeline p, Collection<String> ids, Map<String, Map<String, MeetingRows.Site>> sites) {
        if (ids.isEmpty()) {
            return;
        }
        p.query("select meeting_id, data_center_id, participants, rtt_sum_us, top1_rtt_ms, top2_rtt_ms "
                + "from meeting_site where meeting_id = any(?)", b -> b.texts(ids), r -> {
                    while (r.next()) {
                        double top2 = r.getDouble(6);
                        if (r.wasNull()) {
                            top2 = Double.NEGATIVE_INFINITY;
                        }
                        sites.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(r.getString(2),
                                new MeetingRows.Site(r.getString(2), r.getInt(3), r.getLong(4), r.getDouble(5), top2));
                    }
                });
    }

    /**
     * Reads the participants present among the given ones, by primary key, into {@code present}:
     * meeting → participant → row. One statement, one key lookup per pair asked for.
     */
    static void present(Pipeline p, Map<String, Set<String>> wanted,
                        Map<String, Map<String, MeetingRows.Present>> present) {
        List<String> meetings = new ArrayList<>();
        List<String> participants = new ArrayList<>();
        wanted.forEach((meeting, ids) -> ids.forEach(id -> {
            meetings.add(meeting);
            participants.add(id);
        }));
        if (meetings.isEmpty()) {
            return;
        }
        p.query("select " + PRESENT_COLUMNS + " from unnest(?, ?) as u(meeting_id, "
                + "participant_id) join meeting_participant p on p.meeting_id = u.meeting_id "
                + "and p.participant_id = u.participant_id", b -> b.texts(meetings).texts(participants), r -> {
                    while (r.next()) {
                        MeetingRows.Present row = present(r);
                        present.computeIfAbsent(r.getString(1), k -> new HashMap<>()).put(row.participantId(), row);
                    }
                });
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

    static void insertParticipants(Pipeline p, List<Map.Entry<String, MeetingRows.Present>> added) {
        if (added.isEmpty()) {
            return;
        }
        p.update("insert into meeting_participant (" + PARTICIPANT_COLUMNS + ") "
                + "select * from unnest(?, ?, ?, ?, ?, ?, ?, ?, ?)", b -> b
                .texts(Pipeline.column(added, Map.Entry::getKey))
                .texts(Pipeline.column(added, e -> e.getValue().participantId()))
                .texts(Pipeline.column(added, e -> e.getValue().dataCenter()))
                .doubles(Pipeline.column(added, e -> e.getValue().rttMs()))
                .booleans(Pipeline.column(added, e -> e.getValue().measured()))
                .doubles(Pipeline.column(added, e -> e.getValue().location().latitude()))
                .doubles(Pipeline.column(added, e -> e.getValue().location().longitude()))
                .texts(Pipeline.column(added, e -> MeetingRows.measured(e.getValue().measuredRtts())))
                .times(Pipeline.column(added, e -> e.getValue().joinedAt())));
    }

    static void deleteParticipants(Pipeline p, List<Map.Entry<String, String>> removed) {
        if (removed.isEmpty()) {
            return;
        }
        p.update("delete from meeting_participant where (meeting_id, participant_id) in "
                + "(select * from unnest(?, ?))", b -> b
                .texts(Pipeline.column(removed, Map.Entry::getKey))
                .texts(Pipeline.column(removed, Map.Entry::getValue)));
    }

    /** A site row to write: inserted, updated, or (no participants) deleted. */
    record SiteWrite(String meeting, MeetingRows.Site site) {
    }

    /** Site rows as they are now: one statement inserts the new, updates the stored, deletes the emptied. */
    static void writeSites(Pipeline p, List<SiteWrite> writes) {
        if (writes.isEmpty()) {
            return;
        }
        p.update("merge into meeting_site s using (select * from unnest(?, ?, ?, ?, ?, ?) "
                + "as u(meeting_id, data_center_id, participants, rtt_sum_us, top1, top2)) u "
                + "on s.meeting_id = u.meeting_id and s.data_center_id = u.data_center_id "
                + "when matched and u.participants = 0 then delete "
                + "when matched then update set participants = u.participants, rtt_sum_us = u.rtt_sum_us, "
                + "top1_rtt_ms = u.top1, top2_rtt_ms = u.top2 "
                + "when not matched and u.participants > 0 then insert (meeting_id, data_center_id, participants, "
                + "rtt_sum_us, top1_rtt_ms, top2_rtt_ms) values (u.meeting_id, u.data_center_id, u.participants, "
                + "u.rtt_sum_us, u.top1, u.top2)", b -> b
                .texts(Pipeline.column(writes, SiteWrite::meeting))
                .texts(Pipeline.column(writes, w -> w.site().dataCenter()))
                .integers(Pipeline.column(writes, w -> w.site().participants()))
                .bigints(Pipeline.column(writes, w -> w.site().rttSumMicros()))
                .doubles(Pipeline.column(writes, w -> w.site().participants() < 1 ? null : w.site().top1()))
                .doubles(Pipeline.column(writes, w -> w.site().participants() < 2 ? null : w.site().top2())));
    }

    /** New sticky cascades of meetings (null: nobody in). */
    static void writeCascades(Pipeline p, Map<String, String> cascades) {
        if (cascades.isEmpty()) {
            return;
        }
        Map<String, String> sorted = new TreeMap<>(cascades);
        p.update("merge into meeting m using (select * from unnest(?, ?) as u(id, cascade_links)) u on m.id = u.id "
                + "when matched then update set cascade_links = u.cascade_links", b -> b
                .texts(sorted.keySet()).texts(sorted.values()));
    }

    /** Removes ended meetings with their participants and aggregates. */
    static void delete(Pipeline p, Set<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        for (String table : List.of("meeting_participant", "meeting_site")) {
            p.update("delete from " + table + " where meeting_id = any(?)", b -> b.texts(ids));
        }
        p.update("delete from meeting where id = any(?)", b -> b.texts(ids));
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

    /** Remade effective policies of meetings (an account's policy changed); rare: a statement each. */
    static void writePolicies(Pipeline p, Collection<MeetingRows.Meeting> meetings) {
        for (MeetingRows.Meeting m : meetings) {
            p.update("update meeting set blocked_regions = ?, allowed_regions = ?, policy_sources = ?, "
                    + "policy_version = ? where id = ?", b -> b
                    .text(MeetingRows.codes(m.policy().blockedRegions()))
                    .text(m.policy().allowedRegions().map(MeetingRows::codes).orElse(null))
                    .text(String.join(",", m.policy().sources()))
                    .bigint(m.policyVersion())
                    .text(m.id()));
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
