package io.meridian.web;

import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class TransientFailuresTest {

    @Test
    void lockTimeoutsDeadlocksAndLostConnectionsAreTransientAnywhereInTheChain() {
        // H2's lock timeout is a SQLTimeoutException; PostgreSQL's carry their SQLSTATE
        assertThat(TransientFailures.isTransient(new PersistenceException(new SQLTimeoutException("Timeout trying to lock table"))))
                .isTrue();
        for (String state : new String[] {"55P03", "40001", "40P01", "08006", "53300", "57014", "57P01"}) {
            assertThat(TransientFailures.isTransient(new CompletionException(new IllegalStateException(
                    new SQLException("pg", state))))).as(state).isTrue();
        }
        assertThat(TransientFailures.isTransient(new SQLException("Sorry, acquisition timeout!"))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("Acquisition timeout while waiting for new connection")))
                .isTrue();
    }

    @Test
    void aCommitFailureAttachedAsSuppressedCounts() {
        RuntimeException rollback = new RuntimeException("commit failed");
        rollback.addSuppressed(new SQLException("terminating connection", "57P01"));
        assertThat(TransientFailures.isTransient(new IllegalStateException(rollback))).isTrue();
    }

    @Test
    void everythingElseIsNot() {
        for (String state : new String[] {"23505", "42P01", "22001", "XX000", "HY000", "53100", "53200", "57P04", "08P01"}) {
            assertThat(TransientFailures.isTransient(new PersistenceException(new SQLException("x", state)))).as(state)
                    .isFalse();
        }
        assertThat(TransientFailures.isTransient(new SQLException("no state"))).isFalse();
        assertThat(TransientFailures.isTransient(new IllegalStateException("bug"))).isFalse();
        assertThat(TransientFailures.isTransient(null)).isFalse();
    }

    @Test
    void lockConflictsAreTheTransientFailuresOfSomeRowsOnly() {
        for (String state : new String[] {"55P03", "40P01", "40001", "HYT00"}) {
            assertThat(TransientFailures.isLockConflict(new PersistenceException(new SQLException("x", state)))).as(state)
                    .isTrue();
        }
        for (String state : new String[] {"08006", "53300", "57P01", "23505"}) {
            assertThat(TransientFailures.isLockConflict(new SQLException("x", state))).as(state).isFalse();
        }
        assertThat(TransientFailures.isLockConflict(new SQLException("Sorry, acquisition timeout!"))).isFalse();
    }

    @Test
    void aCauseChainWithACycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertThat(TransientFailures.isTransient(a)).isFalse();
    }

    @Test
    void aConnectionBrokenUnderARequestShouldBeUnavailableNotAnError() {
        assertThat(TransientFailures.isUnavailable(new PersistenceException(new SQLException(
                "Failed to enlist. Check if a connection from another datasource is already enlisted")))).isTrue();
        assertThat(TransientFailures.isUnavailable(new SQLException("x", "90121"))).isTrue();
        assertThat(TransientFailures.isUnavailable(new IllegalStateException("bug"))).isFalse();
    }
}
