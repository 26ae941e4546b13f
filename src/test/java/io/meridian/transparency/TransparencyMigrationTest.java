package io.meridian.transparency;

import io.meridian.MigrationDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log entries stored a row each (V7) read back the same from their batches after V12, with their
 * leaves pointing at them and unsequenced ones still pending: on H2, and on PostgreSQL when
 * {@code MERIDIAN_PG_URL} names one.
 */
class TransparencyMigrationTest {

    @Test
    void entriesOfTheOldLayoutReadBackTheSameOnH2() throws Exception {
        try (MigrationDatabase db = MigrationDatabase.h2()) {
            migrateAndCompare(db);
        }
    }

    @Test
    void entriesOfTheOldLayoutReadBackTheSameOnPostgreSql() throws Exception {
        Assumptions.assumeTrue(MigrationDatabase.PG_URL != null, "MERIDIAN_PG_URL names no PostgreSQL");
        try (MigrationDatabase db = MigrationDatabase.postgresql()) {
            migrateAndCompare(db);
        }
    }

    private static String hex(int fill, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        return HexFormat.of().formatHex(b);
    }

    private void migrateAndCompare(MigrationDatabase db) throws Exception {
        db.migrateTo("11");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("insert into transparency_entry "
                     + "(entry_id, created_at, leaf_hash, account_hash, body) values (?, ?, ?, ?, ?)")) {
            Object[][] rows = {
                    {"01JD0000000000000000000001", 1_700_000_000_000L, 1, 2, 281},
                    {"01JD0000000000000000000002", 1_700_000_000_001L, 3, null, 90}};
            for (Object[] r : rows) {
                ps.setString(1, (String) r[0]);
                ps.setLong(2, (Long) r[1]);
                ps.setBytes(3, HexFormat.of().parseHex(hex((Integer) r[2], 32)));
                ps.setBytes(4, r[3] == null ? null : HexFormat.of().parseHex(hex((Integer) r[3], 32)));
                ps.setBytes(5, HexFormat.of().parseHex(hex(9, (Integer) r[4])));
                ps.executeUpdate();
            }
        }
        // the first is sequenced, the second waits
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("insert into transparency_leaf "
                + "(leaf_index, entry_id, leaf_hash, account_hash) values (0, '01JD0000000000000000000001', ?, ?)")) {
            ps.setBytes(1, HexFormat.of().parseHex(hex(1, 32)));
            ps.setBytes(2, HexFormat.of().parseHex(hex(2, 32)));
            ps.executeUpdate();
        }
        db.exec("insert into transparency_pending (entry_id) values ('01JD0000000000000000000002')");
        db.migrateTo("latest");

        try (Connection c = db.connect()) {
            long first = seq(c, "select batch_seq from transparency_leaf where leaf_index = 0");
            LogEntries.Encoded sequenced = LogStore.batch(c, first).orElseThrow().entry("01JD0000000000000000000001")
                    .orElseThrow();
            assertThat(sequenced.time()).isEqualTo(1_700_000_000_000L);
            assertThat(sequenced.body()).hasSize(281).containsOnly(9);
            assertThat(sequenced.leafHash().hex()).isEqualTo(hex(1, 32));
            assertThat(sequenced.accountHash().map(h -> h.hex())).isEqualTo(Optional.of(hex(2, 32)));

            long waiting = seq(c, "select p.seq from transparency_pending_batch p");
            LogEntries.Encoded pending = LogStore.batch(c, waiting).orElseThrow().entry("01JD0000000000000000000002")
                    .orElseThrow();
            assertThat(pending.body()).hasSize(90);
            assertThat(pending.accountHash()).isEmpty();
            assertThat(List.of(first, waiting)).doesNotHaveDuplicates();
        }
        assertThat(db.hasTable("transparency_entry")).isFalse();
        assertThat(db.hasTable("transparency_pending")).isFalse();
    }

    private static long seq(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as(sql).isTrue();
            long seq = rs.getLong(1);
            assertThat(rs.next()).as(sql + ": one row").isFalse();
            return seq;
        }
    }
}
