package io.meridian.catalog;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.util.Map;

/**
 * Flyway settings Quarkus has no property for. On PostgreSQL, Flyway by default holds its migration
 * lock in a transaction that stays open for the whole run; a migration that builds an index
 * {@code CONCURRENTLY} (which waits for every older transaction to end) then waits for Flyway itself,
 * forever. A session-level lock instead keeps other replicas out the same way without the open
 * transaction.
 */
@Singleton
public class FlywaySettings implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
    }
}
