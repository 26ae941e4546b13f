package io.meridian.security;

import io.meridian.db.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code integration_key} table, in plain JDBC (one statement per call, autocommit). */
@ApplicationScoped
public class IntegrationKeyStore {

    /** One stored, unrevoked key: everything but the key, which is never stored. */
    public record Row(String id, String integration, String accountId, String keyHash, Instant createdAt,
                      String createdBy, Optional<Instant> lastUsedAt) {
    }

    private final DataSource dataSource;

    @Inject
    public IntegrationKeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A number that changes with every creation and revocation anywhere (rows are never deleted, so
     * rows plus revoked rows only grows); equal numbers mean the same set of usable keys.
     */
    public long changeMark() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) + count(revoked_at) from integration_key");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    /** Every unrevoked key of every integration. */
    public List<Row> active() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " where revoked_at is null");
             ResultSet rs = ps.executeQuery()) {
            return rows(rs);
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    /** The unrevoked keys of one account and integration, oldest first. */
    public List<Row> active(String integration, String accountId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(SELECT + " where revoked_at is null and integration = ? "
                     + "and account_id = ? order by created_at, id")) {
            ps.setString(1, integration);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rows(rs);
            }
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    public int countActive(String integration, String accountId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from integration_key where revoked_at is null "
                     + "and integration = ? and account_id = ?")) {
            ps.setString(1, integration);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw failed("read", e);
        }
    }

    public void insert(Row row) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into integration_key (id, integration, account_id, "
                     + "key_hash, created_at, created_by) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, row.id());
            ps.setString(2, row.integration());
            ps.setString(3, row.accountId());
            ps.setString(4, row.keyHash());
            ps.setObject(5, Jdbc.time(row.createdAt()));
            ps.setString(6, row.createdBy());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failed("written", e);
        }
    }

    /** Revokes one unrevoked key of the account; false when there is none with this id. */
    public boolean revoke(String integration, String accountId, String id, Instant at, String by) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update integration_key set revoked_at = ?, revoked_by = ? "
                     + "where id = ? and integration = ? and account_id = ? and revoked_at is null")) {
            ps.setObject(1, Jdbc.time(at));
            ps.setString(2, by);
            ps.setString(3, id);
            ps.setString(4, integration);
            ps.setString(5, accountId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failed("written", e);
        }
    }

    /** Records when keys were last used; an older time never replaces a newer one. */
    public void lastUsed(Map<String, Instant> byId) {
        if (byId.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update integration_key set last_used_at = ? where id = ? "
                     + "and (last_used_at is null or last_used_at < ?)")) {
            for (Map.Entry<String, Instant> e : byId.entrySet()) {
                ps.setObject(1, Jdbc.time(e.getValue()));
                ps.setString(2, e.getKey());
                ps.setObject(3, Jdbc.time(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw failed("written", e);
        }
    }

    private static final String SELECT = "select id, integration, account_id, key_hash, created_at, created_by, "
            + "last_used_at from integration_key";

    private static List<Row> rows(ResultSet rs) throws SQLException {
        List<Row> rows = new ArrayList<>();
        while (rs.next()) {
            rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Jdbc.instant(rs, 5),
                    rs.getString(6), Optional.ofNullable(Jdbc.instant(rs, 7))));
        }
        return rows;
    }

    /** A database failure, with its cause kept (a transient one answers 503, see TransientFailures). */
    private static IllegalStateException failed(String what, SQLException e) {
        return new IllegalStateException("integration keys cannot be " + what, e);
    }
}
