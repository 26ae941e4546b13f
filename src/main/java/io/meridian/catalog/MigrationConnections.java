package io.meridian.catalog;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Flyway's connections come from the service's pool and leave migrations with no lock-wait bound
 * ({@code quarkus.flyway.init-sql}), which a session keeps. Once the service has started (migrations
 * run before), the pool closes the connections it has, so every connection the service then uses is
 * a new one with the bound of {@code quarkus.datasource.jdbc.new-connection-sql}.
 */
@ApplicationScoped
public class MigrationConnections {

    private static final Logger LOG = Logger.getLogger(MigrationConnections.class);

    void afterMigrations(@Observes StartupEvent event, AgroalDataSource dataSource) {
        dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
        LOG.debug("Closed the pool's connections from before start-up (migrations)");
    }
}
