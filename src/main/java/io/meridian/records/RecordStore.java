package io.meridian.records;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Routing records in the database (plain JDBC: batched inserts and aggregate queries, no entities).
 * The same SQL runs on H2 and PostgreSQL. Every {@link RecordLog} (the transparency log) writes its
 * entries in the transaction of the records' rows, and drops its bodies in the transaction that
 * deletes them.
 */
@ApplicationScoped
public class RecordStore {

    private final DataSource dataSource;
    private final List<RecordLog> logs;

    @Inject
    public RecordStore(DataSource dataSource, Instance<RecordLog> logs) {
        this.dataSource = dataSource;
        this.logs = logs.stream().toList();
    }

    /**
     * Writes a batch in one transaction. With {@code replace}, rows of the same plan ids are deleted
     * first, so that retrying a batch whose commit outcome is unknown never fails on duplicates.
     */
    public void insert(List<RoutingRecord> batch, boolean replace) {
        if (batch.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                if (replace) {
                    deleteIds(c, batch.stream().map(RoutingRecord::planId).toList());
                }
                if (c.isWrapperFor(PGConnection.class)) {
                    copyRows(c.unwrap(PGConnection.class).getCopyAPI(), batch);
                } else {
                    insertRows(c, batch);
                }
                for (RecordLog log : logs) {
                    log.append(c, batch, replace);
                }
            } catch (SQLException | IOException e) {
                throw new RecordStoreException(e);
            }
        });
    }

    private static final String RECORD_COLUMNS = "plan_id, recorded_at, account_id, meeting_id, strategy, participants, "
            + "regions_used, blocked_regions, allowed_regions, policy_sources, data_centers, reservation_id, kind, "
            + "participant_id";

    /**
     * PostgreSQL: the batch as two COPY streams, which costs the database (and the driver) a fraction
     * of the same rows as INSERTs; recording runs on the same cores as routing.
     */
    private static void copyRows(CopyManager copy, List<RoutingRecord> batch) throws SQLException, IOException {
        StringBuilder records = new StringBuilder(batch.size() * 200);
        StringBuilder regions = new StringBuilder(batch.size() * 80);
        Map<String, Integer> byRegion = new java.util.TreeMap<>();
        for (RoutingRecord r : batch) {
            field(records, r.planId()).append('\t').append(r.recordedAt()).append('\t');
            field(records, r.accountId()).append('\t');
            field(records, r.meetingId()).append('\t');
            field(records, r.strategy()).append('\t').append(r.participants()).append('\t');
            field(records, wrap(r.regionsUsed())).append('\t');
            field(records, wrap(r.blocked())).append('\t');
            field(records, r.allowed().map(RecordStore::wrap).orElse(null)).append('\t');
            field(records, String.join(",", r.sources())).append('\t');
            field(records, sites(r.dataCenters())).append('\t');
            field(records, r.reservationId()).append('\t');
            field(records, r.kind().name()).append('\t');
            field(records, r.participantId()).append('\n');
            if (summed(r)) {
                regionTotals(r, byRegion);
                for (Map.Entry<String, Integer> e : byRegion.entrySet()) {
                    field(regions, r.planId()).append('\t');
                    field(regions, e.getKey()).append('\t').append(e.getValue()).append('\n');
                }
            }
        }
        copy.copyIn("copy routing_record (" + RECORD_COLUMNS + ") from stdin", new StringReader(records.toString()));
        if (regions.length() > 0) {
            copy.copyIn("copy routing_record_region (plan_id, region, participants) from stdin",
                    new StringReader(regions.toString()));
        }
    }

    /** One field of COPY's text format: \N for null; backslash, tab, newline and return escaped. */
    static StringBuilder field(StringBuilder line, String value) {
        if (value == null) {
            return line.append("\\N");
        }
        if (!needsEscape(value)) {
            // the usual case (ids, codes, numbers): one copy instead of a character at a time
            return line.append(value);
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(ch);
            }
        }
        return line;
    }

    /**
     * Whether a record gets region rows: only those of an account that placed participants (plans and
     * joins), because only the traffic report reads them and it always names an account. A record without one keeps its per-region data in
     * {@code data_centers} all the same; skipping its rows halves what the database writes for it.
     */
    static boolean summed(RoutingRecord r) {
        return r.accountId() != null && r.kind().places();
    }

    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
                return true;
            }
        }
        return false;
    }

    private static void regionTotals(RoutingRecord r, Map<String, Integer> byRegion) {
        byRegion.clear();
        for (RoutingRecord.Site s : r.dataCenters()) {
            byRegion.merge(s.region(), s.participants(), Integer::sum);
        }
    }

    private static void deleteIds(Connection c, List<String> planIds) throws SQLException {
        for (String table : List.of("routing_record_region", "routing_record")) {
            try (PreparedStatement delete = c.prepareStatement("delete from " + table + " where plan_id = ?")) {
                for (String id : planIds) {
                    delete.setString(1, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
    }

    private static void insertRows(Connection c, List<RoutingRecord> batch) throws SQLException {
        try (PreparedStatement record = c.prepareStatement("insert into routing_record (" + RECORD_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement region = c.prepareStatement(
                     "insert into routing_record_region (plan_id, region, participants) values (?, ?, ?)")) {
            Map<String, Integer> byRegion = new java.util.TreeMap<>();
            for (RoutingRecord r : batch) {
                record.setString(1, r.planId());
                record.setLong(2, r.recordedAt());
                record.setString(3, r.accountId());
                record.setString(4, r.meetingId());
                record.setString(5, r.strategy());
                record.setInt(6, r.participants());
                record.setString(7, wrap(r.regionsUsed()));
                record.setString(8, wrap(r.blocked()));
                if (r.allowed().isPresent()) {
                    record.setString(9, wrap(r.allowed().get()));
                } else {
                    record.setNull(9, Types.VARCHAR);
                }
                record.setString(10, String.join(",", r.sources()));
                record.setString(11, sites(r.dataCenters()));
                record.setString(12, r.reservationId());
                record.setString(13, r.kind().name());
                record.setString(14, r.participantId());
                record.addBatch();
                if (!summed(r)) {
                    continue;
                }
                regionTotals(r, byRegion);
                for (Map.Entry<String, Integer> e : byRegion.entrySet()) {
                    region.setString(1, r.planId());
                    region.setString(2, e.getKey());
                    region.setInt(3, e.getValue());
                    region.addBatch();
                }
            }
            record.executeBatch();
            region.executeBatch();
        }
    }

    /** ",A,B," for a list of codes; "," when empty. */
    static String wrap(java.util.Collection<String> codes) {
        StringBuilder sb = new StringBuilder(",");
        for (String code : codes) {
            sb.append(code).append(',');
        }
        return sb.toString();
    }

    static String sites(List<RoutingRecord.Site> sites) {
        StringBuilder sb = new StringBuilder();
        for (RoutingRecord.Site s : sites) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(s.dataCenter()).append(':').append(s.region()).append(':').append(s.participants())
                    .append(':').append(s.primary() ? 'P' : '-');
        }
        return sb.toString();
    }

    static List<RoutingRecord.Site> parseSites(String text) {
        List<RoutingRecord.Site> sites = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return sites;
        }
        for (String site : text.split(";")) {
            String[] f = site.split(":");
            sites.add(new RoutingRecord.Site(f[0], f[1], Integer.parseInt(f[2]), "P".equals(f[3])));
        }
        return sites;
    }

    /**
     * Totals of one account's records in {@code [from, to)} (epoch ms): plans, participants placed by
     * plans, bridge selections and live-meeting joins, meetings, records that broke their own policy,
     * bridge selections and joins.
     */
    public record Totals(long plans, long participants, long meetings, long policyViolations, long bridgeSelections,
                         long joins) {
    }

    /** One region's share of an account's records. */
    public record RegionTotals(String region, long participants, long meetings) {
    }

    /**
     * Meetings are counted by distinct meeting id; a plan without a meeting id counts as a meeting of
     * its own; a Jicofo bridge selection (which names no conference) only when it chose a conference's
     * first bridge, which its record marks as primary.
     */
    private static final String MEETINGS = "count(distinct r.meeting_id) "
            + "+ count(distinct case when r.meeting_id is null and (r.strategy <> '" + RoutingRecord.BRIDGE_SELECTION
            + "' or r.data_centers like '%:P') then r.plan_id end)";

    private static final String IS_SELECTION = "r.strategy = '" + RoutingRecord.BRIDGE_SELECTION + "'";

    private static final String WINDOW = "r.account_id = ? and r.recorded_at >= ? and r.recorded_at < ?";

    /** Records that placed participants: plans, joins and moves (leaves, ends and disconnects place nobody). */
    private static final String PLACING = " and r.kind in ('PLAN', 'JOIN', 'MOVE')";

    public Totals totals(String accountId, long from, long to) {
        return query("select count(case when r.kind = 'PLAN' and not " + IS_SELECTION + " then 1 end), "
                        + "coalesce(sum(r.participants), 0), " + MEETINGS
                        + ", (select count(*) from routing_record v where v.account_id = ? and v.recorded_at >= ? "
                        + "and v.recorded_at < ? and exists (select 1 from routing_record_region g "
                        + "where g.plan_id = v.plan_id and (v.blocked_regions like '%,' || g.region || ',%' "
                        + "or (v.allowed_regions is not null and v.allowed_regions not like '%,' || g.region || ',%')))), "
                        + "count(case when " + IS_SELECTION + " then 1 end), count(case when r.kind = 'JOIN' then 1 end) "
                        + "from routing_record r where " + WINDOW + PLACING,
                ps -> {
                    bindWindow(ps, 1, accountId, from, to);
                    bindWindow(ps, 4, accountId, from, to);
                },
                rs -> {
                    rs.next();
                    return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6));
                });
    }

    /** Participants and meetings per region used, sorted by participants (descending), then code. */
    public List<RegionTotals> byRegion(String accountId, long from, long to) {
        return query("select g.region, sum(g.participants), " + MEETINGS + " from routing_record r "
                        + "join routing_record_region g on g.plan_id = r.plan_id where " + WINDOW
                        + " group by g.region order by 2 desc, g.region",
                ps -> bindWindow(ps, 1, accountId, from, to),
                rs -> {
                    List<RegionTotals> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(new RegionTotals(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                    }
                    return rows;
                });
    }

    /**
     * One page of a meeting's records, newest first: at most {@code limit} records with a plan id
     * before {@code before} (exclusive), or from the newest when absent.
     */
    public List<RoutingRecord> history(String accountId, String meetingId, Optional<String> before, int limit) {
        return query("select plan_id, recorded_at, account_id, meeting_id, strategy, participants, regions_used, "
                        + "blocked_regions, allowed_regions, policy_sources, data_centers, reservation_id, kind, "
                        + "participant_id from routing_record where account_id = ? and meeting_id = ?"
                        + (before.isPresent() ? " and plan_id < ?" : "") + " order by plan_id desc limit ?",
                ps -> {
                    int i = 1;
                    ps.setString(i++, accountId);
                    ps.setString(i++, meetingId);
                    if (before.isPresent()) {
                        ps.setString(i++, before.get());
                    }
                    ps.setInt(i, limit);
                },
                rs -> {
                    List<RoutingRecord> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(new RoutingRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getInt(6), parseSites(rs.getString(11)), codes(rs.getString(7)),
                                codes(rs.getString(8)), Optional.ofNullable(rs.getString(9)).map(RecordStore::codes),
                                list(rs.getString(10)), rs.getString(12), 0,
                                RoutingRecord.Kind.valueOf(rs.getString(13)), live(rs.getString(14))));
                    }
                    return rows;
                });
    }

    /**
     * Deletes at most {@code limit} records made before {@code cutoff} (epoch ms) with their region
     * rows, oldest first; returns how many records. Plan ids sort by time, so the range is a
     * primary-key range.
     */
    public int deleteBefore(long cutoff, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "select plan_id from routing_record where plan_id < ? order by plan_id limit ?")) {
                    ps.setString(1, PlanIds.floor(cutoff));
                    ps.setInt(2, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                if (!ids.isEmpty()) {
                    for (RecordLog log : logs) {
                        log.retain(c, ids);
                    }
                    deleteIds(c, ids);
                }
                return ids.size();
            } catch (SQLException e) {
                throw new RecordStoreException(e);
            }
        });
    }

    /** A stored record's participant, as a live event (the live meeting's own id is not stored). */
    private static Optional<RoutingRecord.LiveEvent> live(String participantId) {
        return participantId == null ? Optional.empty()
                : Optional.of(new RoutingRecord.LiveEvent(null, participantId, false));
    }

    private static SortedSet<String> codes(String wrapped) {
        TreeSet<String> codes = new TreeSet<>();
        for (String code : wrapped.split(",")) {
            if (!code.isEmpty()) {
                codes.add(code);
            }
        }
        return codes;
    }

    private static List<String> list(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static void bindWindow(PreparedStatement ps, int first, String accountId, long from, long to)
            throws SQLException {
        ps.setString(first, accountId);
        ps.setLong(first + 1, from);
        ps.setLong(first + 2, to);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Binder binder, Reader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new RecordStoreException(e);
        }
    }

    /** A database error of the record store. */
    public static final class RecordStoreException extends RuntimeException {
        RecordStoreException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
