package io.meridian.records;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records stored before the batch layout (V3 to V10) read back the same after V11: on the embedded
 * H2 always, and on PostgreSQL too (with its own migrations) when {@code MERIDIAN_PG_URL} names one,
 * as in {@code .ci/run}, in a schema of its own that is dropped afterwards.
 */
class RecordsMigrationTest {

    private static final String PG_URL = System.getenv("MERIDIAN_PG_URL");

    private String url;
    private String user;
    private String password;
    private String schema;

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("drop schema " + schema + " cascade");
            }
        }
    }

    @Test
    void recordsOfTheOldLayoutReadBackTheSameOnH2() throws Exception {
        url = "jdbc:h2:mem:records-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        user = "sa";
        password = "";
        migrateAndCompare(flyway("classpath:db/migration"));
    }

    @Test
    void recordsOfTheOldLayoutReadBackTheSameOnPostgreSql() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PG_URL != null, "MERIDIAN_PG_URL names no PostgreSQL");
        url = PG_URL;
        user = "meridian";
        password = "meridian";
        schema = "records_migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        migrateAndCompare(flyway("classpath:db/migration", "classpath:db/postgresql").schemas(schema));
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway(String... locations) {
        return Flyway.configure().dataSource(url, user, password).locations(locations)
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        if (schema != null) {
            c.setSchema(schema);
        }
        return c;
    }

    private void migrateAndCompare(org.flywaydb.core.api.configuration.FluentConfiguration flyway) throws Exception {
        flyway.target(MigrationVersion.fromVersion("10")).load().migrate();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("insert into routing_record (plan_id, recorded_at, account_id, meeting_id, strategy, participants, "
                    + "regions_used, blocked_regions, allowed_regions, policy_sources, data_centers, reservation_id, kind, "
                    + "participant_id) values "
                    + "('01JD0000000000000000000001', 1700000000000, 'acme', 'weekly', 'CASCADE', 3, ',EU,US,', ',CN,', "
                    + "null, 'request,account:acme', 'eu-fra:EU:2:P;us-sjc:US:1:-', '01JD00000000000000000000R1', 'PLAN', null), "
                    + "('01JD0000000000000000000002', 1700000000001, 'acme', 'weekly', 'SINGLE', 1, ',EU,', ',', ',EU,', "
                    + "'account:acme', 'eu-fra:EU:1:P', null, 'JOIN', 'alice'), "
                    + "('01JD0000000000000000000003', 1700000000002, null, null, 'SINGLE', 1, ',US,', ',', ',', '', "
                    + "'us-sjc:US:1:P', null, 'PLAN', null)");
            s.execute("insert into routing_record_region (plan_id, region, participants) values "
                    + "('01JD0000000000000000000001', 'EU', 2), ('01JD0000000000000000000001', 'US', 1)");
        }
        flyway.target(MigrationVersion.LATEST).load().migrate();

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
        try (Connection c = connect()) {
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
            assertThat(tableExists(c, "routing_record")).isFalse();
        }
        assertThat(read).containsExactly(plan, join, anonymous);
        assertThat(meetings).containsExactly("weekly@01JD0000000000000000000001", "weekly@01JD0000000000000000000002");
    }

    private boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, schema == null ? null : schema, table, null)) {
            return rs.next();
        }
    }
}
