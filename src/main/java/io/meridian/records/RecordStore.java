package io.meridian.records;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Routing records in the database (plain JDBC: batched inserts and aggregate queries, no entities).
 * The same SQL runs on H2 and PostgreSQL.
 */
@ApplicationScoped
public class RecordStore {

    private final DataSource dataSource;

    @Inject
    public RecordStore(DataSource dataSource) {
        this.dataSource = dataSource;
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
                    try (PreparedStatement delete = c.prepareStatement("delete from routing_record where plan_id = ?")) {
                        for (RoutingRecord r : batch) {
                            delete.setString(1, r.planId());
                            delete.addBatch();
                        }
                        delete.executeBatch();
                    }
                }
                insertRows(c, batch);
            } catch (SQLException e) {
                throw new RecordStoreException(e);
            }
        });
    }

    private static void insertRows(Connection c, List<RoutingRecord> batch) throws SQLException {
        try (PreparedStatement record = c.prepareStatement("insert into routing_record (plan_id, recorded_at, "
                + "account_id, meeting_id, strategy, participants, regions_used, blocked_regions, allowed_regions, "
                + "policy_sources, reservation_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement site = c.prepareStatement("insert into routing_record_data_center (plan_id, "
                     + "data_center_id, region, participants, primary_site) values (?, ?, ?, ?, ?)");
             PreparedStatement rule = c.prepareStatement(
                     "insert into routing_record_rule (plan_id, rule, region) values (?, ?, ?)")) {
            for (RoutingRecord r : batch) {
                record.setString(1, r.planId());
                record.setLong(2, r.recordedAt());
                record.setString(3, r.accountId());
                record.setString(4, r.meetingId());
                record.setString(5, r.strategy());
                record.setInt(6, r.participants());
                record.setString(7, String.join(",", r.regionsUsed()));
                record.setString(8, String.join(",", r.blocked()));
                if (r.allowed().isPresent()) {
                    record.setString(9, String.join(",", r.allowed().get()));
                } else {
                    record.setNull(9, Types.VARCHAR);
                }
                record.setString(10, String.join(",", r.sources()));
                record.setString(11, r.reservationId());
                record.addBatch();
                for (RoutingRecord.Site s : r.dataCenters()) {
                    site.setString(1, r.planId());
                    site.setString(2, s.dataCenter());
                    site.setString(3, s.region());
                    site.setInt(4, s.participants());
                    site.setBoolean(5, s.primary());
                    site.addBatch();
                }
                for (String region : r.blocked()) {
                    rule.setString(1, r.planId());
                    rule.setString(2, "BLOCKED");
                    rule.setString(3, region);
                    rule.addBatch();
                }
                for (String region : r.allowed().orElse(new TreeSet<>())) {
                    rule.setString(1, r.planId());
                    rule.setString(2, "ALLOWED");
                    rule.setString(3, region);
                    rule.addBatch();
                }
            }
            record.executeBatch();
            site.executeBatch();
            rule.executeBatch();
        }
    }

    /** Totals of one account's records in {@code [from, to)} (epoch ms). */
    public record Totals(long plans, long participants, long meetings, long policyViolations) {
    }

    /** One region's share of an account's records. */
    public record RegionTotals(String region, long participants, long meetings) {
    }

    /**
     * Meetings are counted by distinct meeting id; a plan without a meeting id counts as a meeting of
     * its own.
     */
    private static final String MEETINGS = "count(distinct r.meeting_id) "
            + "+ count(distinct case when r.meeting_id is null then r.plan_id end)";

    private static final String WINDOW = "r.account_id = ? and r.recorded_at >= ? and r.recorded_at < ?";

    public Totals totals(String accountId, long from, long to) {
        return query("select count(*), coalesce(sum(r.participants), 0), " + MEETINGS
                + ", (select count(*) from routing_record v where v.account_id = ? and v.recorded_at >= ? "
                + "and v.recorded_at < ? and exists (select 1 from routing_record_data_center d "
                + "where d.plan_id = v.plan_id and (exists (select 1 from routing_record_rule b where "
                + "b.plan_id = v.plan_id and b.rule = 'BLOCKED' and b.region = d.region) "
                + "or (v.allowed_regions is not null and not exists (select 1 from routing_record_rule a where "
                + "a.plan_id = v.plan_id and a.rule = 'ALLOWED' and a.region = d.region))))) "
                + "from routing_record r where " + WINDOW,
                ps -> {
                    bindWindow(ps, 1, accountId, from, to);
                    bindWindow(ps, 4, accountId, from, to);
                },
                rs -> {
                    rs.next();
                    return new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                });
    }

    /** Participants and meetings per region used, sorted by participants (descending), then code. */
    public List<RegionTotals> byRegion(String accountId, long from, long to) {
        return query("select d.region, sum(d.participants), " + MEETINGS + " from routing_record r "
                        + "join routing_record_data_center d on d.plan_id = r.plan_id where " + WINDOW
                        + " group by d.region order by 2 desc, d.region",
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
        List<RoutingRecord> page = query("select plan_id, recorded_at, account_id, meeting_id, strategy, "
                        + "participants, regions_used, blocked_regions, allowed_regions, policy_sources, reservation_id "
                        + "from routing_record where account_id = ? and meeting_id = ?"
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
                                rs.getString(5), rs.getInt(6), List.of(), codes(rs.getString(7)),
                                codes(rs.getString(8)), Optional.ofNullable(rs.getString(9)).map(RecordStore::codes),
                                list(rs.getString(10)), rs.getString(11)));
                    }
                    return rows;
                });
        if (page.isEmpty()) {
            return page;
        }
        Map<String, List<RoutingRecord.Site>> sites = sites(page);
        List<RoutingRecord> complete = new ArrayList<>(page.size());
        for (RoutingRecord r : page) {
            complete.add(new RoutingRecord(r.planId(), r.recordedAt(), r.accountId(), r.meetingId(), r.strategy(),
                    r.participants(), sites.getOrDefault(r.planId(), List.of()), r.regionsUsed(), r.blocked(),
                    r.allowed(), r.sources(), r.reservationId()));
        }
        return complete;
    }

    private Map<String, List<RoutingRecord.Site>> sites(List<RoutingRecord> page) {
        String marks = String.join(", ", java.util.Collections.nCopies(page.size(), "?"));
        return query("select plan_id, data_center_id, region, participants, primary_site "
                        + "from routing_record_data_center where plan_id in (" + marks + ") "
                        + "order by plan_id, data_center_id",
                ps -> {
                    for (int i = 0; i < page.size(); i++) {
                        ps.setString(i + 1, page.get(i).planId());
                    }
                },
                rs -> {
                    Map<String, List<RoutingRecord.Site>> byPlan = new LinkedHashMap<>();
                    while (rs.next()) {
                        byPlan.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new RoutingRecord.Site(
                                rs.getString(2), rs.getString(3), rs.getInt(4), rs.getBoolean(5)));
                    }
                    return byPlan;
                });
    }

    /** Deletes at most {@code limit} records made before {@code cutoff} (epoch ms); returns how many. */
    public int deleteBefore(long cutoff, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("delete from routing_record where plan_id in "
                         + "(select plan_id from routing_record where recorded_at < ? order by recorded_at limit ?)")) {
                ps.setLong(1, cutoff);
                ps.setInt(2, limit);
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new RecordStoreException(e);
            }
        });
    }

    private static SortedSet<String> codes(String joined) {
        return new TreeSet<>(list(joined));
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
        RecordStoreException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
