package io.meridian;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A scratch database for migration tests: an embedded H2 of its own, or, when
 * {@code MERIDIAN_PG_URL} names a PostgreSQL (as in {@code .ci/run}), a schema of its own there,
 * dropped by {@link #close()}. Migrates with the service's own migrations (PostgreSQL's too).
 */
public final class MigrationDatabase implements AutoCloseable {

    /** The PostgreSQL of the CI's second pass, if any. */
    public static final String PG_URL = System.getenv("MERIDIAN_PG_URL");

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    private MigrationDatabase(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    public static MigrationDatabase h2() {
        return new MigrationDatabase("jdbc:h2:mem:migration-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "", null);
    }

    public static MigrationDatabase postgresql() {
        return new MigrationDatabase(PG_URL, "meridian", "meridian",
                "migration_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    /** Migrates up to {@code version} ("latest" for every migration). */
    public void migrateTo(String version) {
        var flyway = Flyway.configure().dataSource(url, user, password)
                .configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
                .target("latest".equals(version) ? MigrationVersion.LATEST : MigrationVersion.fromVersion(version));
        if (schema != null) {
            flyway.locations("classpath:db/migration", "classpath:db/postgresql").schemas(schema);
        } else {
            flyway.locations("classpath:db/migration");
        }
        flyway.load().migrate();
    }

    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        if (schema != null) {
            c.setSchema(schema);
        }
        return c;
    }

    public void exec(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public boolean hasTable(String table) throws SQLException {
        try (Connection c = connect(); ResultSet rs = c.getMetaData().getTables(null, schema, table, null)) {
            return rs.next();
        }
    }

    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute("drop schema " + schema + " cascade");
            }
        }
    }
}
