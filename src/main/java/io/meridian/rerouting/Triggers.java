package io.meridian.rerouting;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What every trigger does: writes the job in the transaction of the change (the connection the
 * datasource hands out inside it is the transaction's), and wakes this replica's worker once that
 * transaction has committed.
 */
@ApplicationScoped
class Triggers {

    private final DataSource dataSource;
    private final TransactionSynchronizationRegistry transactions;
    private final RerouteWorker worker;

    @Inject
    Triggers(DataSource dataSource, TransactionSynchronizationRegistry transactions, RerouteWorker worker) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.worker = worker;
    }

    /** The connection of the caller's transaction. */
    Connection connection() throws SQLException {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("a re-routing job is written in the transaction of its change");
        }
        return dataSource.getConnection();
    }

    void enqueue(Connection c, RerouteCause cause) throws SQLException {
        RerouteJobs.insert(c, cause, Instant.now());
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    worker.wake();
                }
            }
        });
    }
}
