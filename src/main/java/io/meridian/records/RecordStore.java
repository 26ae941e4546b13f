package io.meridian.records;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Routing records in the database, in batches (schema V11): each writer batch becomes one row per
 * account holding its records as {@link RecordLines}, plus one narrow row per meeting of an account
 * and batch, which the routing history finds its batches by. Reports read an account's batches of
 * the window and add up in {@link TrafficTally}. Plain JDBC; the same SQL runs on H2 and PostgreSQL.
 * Every {@link RecordLog} (the transparency log) writes its entries in the transaction of the
 * records' rows, and drops its bodies in the transaction that deletes them.
 */
@ApplicationScoped
public class RecordStore {

    /** Records per batch row at most, and characters of its lines (the column holds 1,000,000). */
    static final int ROW_RECORDS = 1_000;
    static final int ROW_CHARS = 900_000;

    private final DataSource dataSource;
    private final List<RecordLog> logs;

    @Inject
    public RecordStore(DataSource dataSource, Instance<RecordLog> logs) {
        this.dataSource = dataSource;
        this.logs = logs.stream().toList();
    }

    /**
     * Writes a batch in one transaction. With {@code replace}, rows of the same batch keys are
     * deleted first, so that retrying a batch whose commit outcome is unknown never fails on
     * duplicates (the same records always make the same rows).
     */
    public void insert(List<RoutingRecord> batch, boolean replace) {
        write(batch.stream().map(QueuedRecord::of).toList(), replace);
    }

    /** Writes a batch of the writer's queue, as {@link #insert}; the logs use the entries it carries. */
    public void write(List<QueuedRecord> batch, boolean replace) {
        if (batch.isEmpty()) {
            return;
        }
        List<Row> rows = rows(batch.stream().map(QueuedRecord::record).toList());
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                if (replace) {
                    deleteRows(c, rows.stream().map(Row::key).toList());
                }
                insertRows(c, rows);
                for (RecordLog log : logs) {
                    log.append(c, batch, replace);
                }
            } catch (SQLException | IOException e) {
                throw new RecordStoreException(e);
            }
        });
    }

    /** One batch row to be: an account's records (in arrival order) and their lines. */
    record Row(String key, String accountId, long firstAt, long lastAt, List<RoutingRecord> records, String lines) {
    }

    /** The rows of a batch: its records grouped by account, each group cut at {@link #ROW_RECORDS} and {@link #ROW_CHARS}. */
    static List<Row> rows(List<RoutingRecord> batch) {
        Map<String, List<RoutingRecord>> byAccount = new LinkedHashMap<>();
        for (RoutingRecord r : batch) {
            byAccount.computeIfAbsent(Objects.requireNonNullElse(r.accountId(), ""), k -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        for (List<RoutingRecord> group : byAccount.values()) {
            StringBuilder lines = new StringBuilder(Math.min(group.size(), ROW_RECORDS) * 160);
            List<RoutingRecord> in = new ArrayList<>();
            for (RoutingRecord r : group) {
                int before = lines.length();
                RecordLines.append(lines, r);
                if (!in.isEmpty() && (in.size() == ROW_RECORDS || lines.length() > ROW_CHARS)) {
                    String line = lines.substring(before);
                    lines.setLength(before);
                    rows.add(row(in, lines.toString()));
                    in = new ArrayList<>();
                    lines.setLength(0);
                    lines.append(line);
                }
                in.add(r);
            }
            rows.add(row(in, lines.toString()));
        }
        return rows;
    }

    private static Row row(List<RoutingRecord> records, String lines) {
        String key = null;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (RoutingRecord r : records) {
            if (key == null || r.planId().compareTo(key) < 0) {
                key = r.planId();
            }
            first = Math.min(first, r.recordedAt());
            last = Math.max(last, r.recordedAt());
        }
        return new Row(key, records.get(0).accountId(), first, last, records, lines);
    }

    /** A meeting's share of a batch row: the range of its record ids there. */
    private record MeetingRow(String accountId, String meetingId, String key, String oldest, String newest) {
    }

    private static Collection<MeetingRow> meetingRows(Row row) {
        Map<String, MeetingRow> meetings = new LinkedHashMap<>();
        if (row.accountId() == null) {
            return meetings.values();
        }
        for (RoutingRecord r : row.records()) {
            if (r.meetingId() == null) {
                continue;
            }
            meetings.merge(r.meetingId(), new MeetingRow(row.accountId(), r.meetingId(), row.key(), r.planId(), r.planId()),
                    (a, b) -> new MeetingRow(a.accountId(), a.meetingId(), a.key(),
                            min(a.oldest(), b.oldest()), max(a.newest(), b.newest())));
        }
        return meetings.values();
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void insertRows(Connection c, List<Row> rows) throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement("insert into routing_record_batch "
                + "(batch_key, account_id, first_at, last_at, records, body) values (?, ?, ?, ?, ?, ?)")) {
            for (Row row : rows) {
                ps.setString(1, row.key());
                ps.setString(2, row.accountId());
                ps.setLong(3, row.firstAt());
                ps.setLong(4, row.lastAt());
                ps.setInt(5, row.records().size());
                ps.setString(6, row.lines());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<MeetingRow> meetings = new ArrayList<>();
        for (Row row : rows) {
            meetings.addAll(meetingRows(row));
        }
        if (meetings.isEmpty()) {
            return;
        }
        if (c.isWrapperFor(PGConnection.class)) {
            // PostgreSQL: one COPY stream, a fraction of the cost of as many INSERTs when a batch holds many meetings
            StringBuilder copy = new StringBuilder(meetings.size() * 100);
            for (MeetingRow m : meetings) {
                RecordLines.field(copy, m.accountId()).append('\t');
                RecordLines.field(copy, m.meetingId()).append('\t');
                copy.append(m.key()).append('\t').append(m.oldest()).append('\t').append(m.newest()).append('\n');
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy routing_record_meeting "
                    + "(account_id, meeting_id, batch_key, oldest_id, newest_id) from stdin", new StringReader(copy.toString()));
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into routing_record_meeting "
                + "(account_id, meeting_id, batch_key, oldest_id, newest_id) values (?, ?, ?, ?, ?)")) {
            for (MeetingRow m : meetings) {
                ps.setString(1, m.accountId());
                ps.setString(2, m.meetingId());
                ps.setString(3, m.key());
                ps.setString(4, m.oldest());
                ps.setString(5, m.newest());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void deleteRows(Connection c, List<String> keys) throws SQLException {
        for (String table : List.of("routing_record_meeting", "routing_record_batch")) {
            try (PreparedStatement delete = c.prepareStatement("delete from " + table + " where batch_key = ?")) {
                for (String key : keys) {
                    delete.setString(1, key);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
        }
    }

    /** The account's records made in {@code [from, to)} (epoch ms), added up. */
    public TrafficTally tally(String accountId, long from, long to) {
        return query("select body from routing_record_batch where account_id = ? and last_at >= ? and first_at < ?",
                ps -> {
                    ps.setString(1, accountId);
                    ps.setLong(2, from);
                    ps.setLong(3, to);
                },
                rs -> {
                    TrafficTally tally = new TrafficTally();
                    while (rs.next()) {
                        for (RoutingRecord r : RecordLines.parse(rs.getString(1), accountId)) {
                            if (r.recordedAt() >= from && r.recordedAt() < to) {
                                tally.add(r);
                            }
                        }
                    }
                    return tally;
                });
    }

    /**
     * One page of a meeting's records, newest first: at most {@code limit} records with a plan id
     * before {@code before} (exclusive), or from the newest when absent. Reads the meeting's batches
     * from the newest and stops as soon as no older batch can hold a record of the page.
     */
    public List<RoutingRecord> history(String accountId, String meetingId, Optional<String> before, int limit) {
        return query("select m.newest_id, b.body from routing_record_meeting m join routing_record_batch b "
                        + "on b.batch_key = m.batch_key where m.account_id = ? and m.meeting_id = ?"
                        + (before.isPresent() ? " and m.oldest_id < ?" : "") + " order by m.newest_id desc",
                ps -> {
                    ps.setString(1, accountId);
                    ps.setString(2, meetingId);
                    if (before.isPresent()) {
                        ps.setString(3, before.get());
                    }
                },
                rs -> {
                    List<RoutingRecord> found = new ArrayList<>();
                    Comparator<RoutingRecord> newestFirst = Comparator.comparing(RoutingRecord::planId).reversed();
                    while (rs.next()) {
                        String newest = rs.getString(1);
                        if (found.size() >= limit && newest.compareTo(found.get(limit - 1).planId()) < 0) {
                            // every record of this batch and of the ones after it is older than the page's last
                            break;
                        }
                        for (RoutingRecord r : RecordLines.parse(rs.getString(2), accountId)) {
                            if (meetingId.equals(r.meetingId()) && before.map(b -> r.planId().compareTo(b) < 0).orElse(true)) {
                                found.add(r);
                            }
                        }
                        found.sort(newestFirst);
                    }
                    return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
                });
    }

    /**
     * Deletes records made before {@code cutoff} (epoch ms), oldest batches first, about {@code limit}
     * records in one transaction; returns how many records. A batch that holds records on both sides
     * of the cutoff is written again with only its newer ones, so retention is exact to the record.
     */
    public int deleteBefore(long cutoff, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                List<Row> old = new ArrayList<>();
                int records = 0;
                try (PreparedStatement ps = c.prepareStatement("select batch_key, account_id, records, body "
                        + "from routing_record_batch where first_at < ? order by first_at, batch_key")) {
                    ps.setLong(1, cutoff);
                    ps.setFetchSize(16);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (records < limit && rs.next()) {
                            List<RoutingRecord> in = RecordLines.parse(rs.getString(4), rs.getString(2));
                            old.add(new Row(rs.getString(1), rs.getString(2), 0, 0, in, null));
                            records += rs.getInt(3);
                        }
                    }
                }
                List<RoutingRecord> deleted = new ArrayList<>();
                List<RoutingRecord> kept = new ArrayList<>();
                for (Row row : old) {
                    for (RoutingRecord r : row.records()) {
                        if (r.recordedAt() < cutoff) {
                            deleted.add(r);
                        } else {
                            kept.add(r);
                        }
                    }
                }
                if (!deleted.isEmpty()) {
                    for (RecordLog log : logs) {
                        log.retain(c, deleted.stream().map(RoutingRecord::planId).toList());
                    }
                }
                deleteRows(c, old.stream().map(Row::key).toList());
                if (!kept.isEmpty()) {
                    insertRows(c, rows(kept));
                }
                return deleted.size();
            } catch (SQLException | IOException e) {
                throw new RecordStoreException(e);
            }
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Batch rows fetched at a time by a read: each holds up to {@link #ROW_CHARS} characters of lines. */
    static final int FETCH_ROWS = 8;

    /**
     * A read of batch rows, in a read-only transaction of its own so that the driver fetches
     * {@link #FETCH_ROWS} rows at a time (PostgreSQL uses a cursor only outside auto-commit): a
     * month's report of a busy account reads thousands of rows, which must never be in memory at once.
     */
    private <T> T query(String sql, Binder binder, Reader<T> reader) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(FETCH_ROWS);
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    return reader.read(rs);
                }
            } catch (SQLException e) {
                throw new RecordStoreException(e);
            }
        });
    }

    /** A database error of the record store. */
    public static final class RecordStoreException extends RuntimeException {
        RecordStoreException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
