package io.meridian.records;

import io.meridian.MigrationDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records stored before the batch layout (V3 to V10) read back the same after V11: on the embedded
 * H2 always, and on PostgreSQL too (with its own migrations) when {@code MERIDIAN_PG_URL} names one,
 * as in {@code .ci/run}.
 */
class RecordsMigrationTest {

    @Test
    void recordsOfTheOldLayoutReadBackTheSameOnH2() throws Exception {
        try (MigrationDatabase db = MigrationDatabase.h2()) {
            migrateAndCompare(db);
        }
    }

    @Test
    void recordsOfTheOldLayoutReadBackTheSameOnPostgreSql() throws Exception {
        Assumptions.assumeTrue(MigrationDatabase.PG_URL != null, "MERIDIAN_PG_URL names no PostgreSQL");
        try (MigrationDatabase db = MigrationDatabase.postgresql()) {
            migrateAndCompare(db);
        }
    }

    private void migrateAndCompare(MigrationDatabase db) throws Exception {
        db.migrateTo("10");
        db.exec("insert into routing_record (plan_id, recorded_at, account_id, meeting_id, strategy, participants, "
                + "regions_used, blocked_regions, allowed_regions, policy_sources, data_centers, reservation_id, kind, "
                + "participant_id) values "
                + "('01JD0000000000000000000001', 1700000000000, 'acme', 'weekly', 'CASCADE', 3, ',EU,US,', ',CN,', "
                + "null, 'request,account:acme', 'eu-fra:EU:2:P;us-sjc:US:1:-', '01JD00000000000000000000R1', 'PLAN', null), "
                + "('01JD0000000000000000000002', 1700000000001, 'acme', 'weekly', 'SINGLE', 1, ',EU,', ',', ',EU,', "
                + "'account:acme', 'eu-fra:EU:1:P', null, 'JOIN', 'alice'), "
                + "('01JD0000000000000000000003', 1700000000002, null, null, 'SINGLE', 1, ',US,', ',', ',', '', "
                + "'us-sjc:US:1:P', null, 'PLAN', null)");
        db.exec("insert into routing_record_region (plan_id, region, participants) values "
                + "('01JD0000000000000000000001', 'EU', 2), ('01JD0000000000000000000001', 'US', 1)");
        db.migrateTo("latest");
        var sites = List.of(new RoutingRecord.Site("eu-fra", "EU", 2, true), new RoutingRecord.Site("us-sjc", "US", 1, false));
        RoutingRecord plan = new RoutingRecord("01JD0000000000000000000001", 1_700_000_000_000L, "acme", "weekly",
                "CASCADE", 3, sites, new TreeSet<>(List.of("EU", "US")), new TreeSet<>(List.of("CN")), Optional.empty(),
                List.of("request", "account:acme"), "01JD00000000000000000000R1");
        RoutingRecord join = new RoutingRecord("01JD0000000000000000000002", 1_700_000_000_001L, "acme", "weekly",
                "SINGLE", 1, List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)),
                new TreeSet<>(List.of("EU")), new TreeSet<>(), Optional.of(new TreeSet<>(List.of("EU"))),
                List.of("account:acme"), null, 0, RoutingRecord.Kind.JOIN,
                Optional.of(new RoutingRecord.LiveEvent(null, "alice", false)));
        RoutingRecord anonymous = new RoutingRecord("01JD0000000000000000000003", 1_700_000_000_002L, null, null,
                "SINGLE", 1, List.of(new RoutingRecord.Site("us-sjc", "US", 1, true)), new TreeSet<>(List.of("US")),
                new TreeSet<>(), Optional.of(new TreeSet<>()), List.of(), null);

        List<RoutingRecord> read = new ArrayList<>();
        List<String> meetings = new ArrayList<>();
        try (Connection c = db.connect()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "select account_id, first_at, last_at, records, body from routing_record_batch order by batch_key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getInt(4)).isEqualTo(1);
                    assertThat(rs.getLong(2)).isEqualTo(rs.getLong(3));
                    read.addAll(RecordLines.parse(rs.getString(5), rs.getString(1)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select meeting_id, batch_key from routing_record_meeting order by batch_key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    meetings.add(rs.getString(1) + "@" + rs.getString(2));
                }
            }
        }
        assertThat(db.hasTable("routing_record")).isFalse();
        assertThat(read).containsExactly(plan, join, anonymous);
        assertThat(meetings).containsExactly("weekly@01JD0000000000000000000001", "weekly@01JD0000000000000000000002");
    }
}
