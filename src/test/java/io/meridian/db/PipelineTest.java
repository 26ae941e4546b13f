package io.meridian.db;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Statements sent together, on the test profile's database (H2, and PostgreSQL in the CI's pass,
 * where they go in one round trip): in order, each seeing the ones before it, arrays of every type
 * the ledger binds with their nulls, and a failure that stops the rest.
 */
@QuarkusTest
class PipelineTest {

    @Inject
    DataSource dataSource;

    private interface Work {
        void in(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                work.in(c);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @BeforeEach
    void table() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("create table pipeline_test (k varchar(20) not null primary key, n integer, big bigint, "
                        + "x double precision, yes boolean, at timestamp with time zone)");
            }
        });
    }

    @AfterEach
    void drop() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("drop table pipeline_test");
            }
        });
    }

    @Test
    void statementsShouldRunInOrderEachSeeingTheOnesBefore() {
        List<String> seen = new ArrayList<>();
        AtomicInteger afterDelete = new AtomicInteger(-1);
        inTransaction(c -> {
            Pipeline p = Pipeline.on(c).limitLockWait(Duration.ofSeconds(2)).keyLookups();
            p.update("insert into pipeline_test (k, n) select * from unnest(?, ?)",
                    b -> b.texts(List.of("a", "b", "c")).integers(List.of(1, 2, 3)));
            p.query("select k from pipeline_test where k = any(?) order by k", b -> b.texts(List.of("a", "c", "z")),
                    r -> {
                        while (r.next()) {
                            seen.add(r.getString(1));
                        }
                    });
            p.update("delete from pipeline_test where k = ?", b -> b.text("a"));
            p.query("select count(*) from pipeline_test", b -> { }, r -> {
                r.next();
                afterDelete.set(r.getInt(1));
            });
            p.run();
        });
        assertThat(seen).containsExactly("a", "c");
        assertThat(afterDelete.get()).isEqualTo(2);
    }

    @Test
    void arraysShouldCarryEveryTypeAndTheirNulls() {
        Instant t = Instant.parse("2026-12-01T10:15:30.123456Z");
        List<String> rows = new ArrayList<>();
        inTransaction(c -> {
            Pipeline p = Pipeline.on(c);
            p.update("insert into pipeline_test (k, n, big, x, yes, at) select * from unnest(?, ?, ?, ?, ?, ?)", b -> b
                    .texts(List.of("full", "empty"))
                    .integers(Arrays.asList(7, null))
                    .bigints(Arrays.asList(1L << 40, null))
                    .doubles(Arrays.asList(-0.25, null))
                    .booleans(Arrays.asList(true, null))
                    .times(Arrays.asList(t, null)));
            p.update("merge into pipeline_test s using (select * from unnest(?, ?) as u(k, n)) u on s.k = u.k "
                    + "when matched then update set n = s.n + u.n", b -> b.texts(List.of("full")).integers(List.of(3)));
            p.query("select k, n, big, x, yes, at from pipeline_test order by k", b -> { }, r -> {
                while (r.next()) {
                    rows.add(r.getString(1) + " " + r.getObject(2) + " " + r.getObject(3) + " " + r.getObject(4) + " "
                            + r.getObject(5) + " " + Jdbc.instant(r, 6));
                }
            });
            p.run();
        });
        assertThat(rows).containsExactly("empty null null null null null",
                "full 10 1099511627776 -0.25 true " + t.truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void textsShouldArriveExactlyWhateverTheirCharacters() {
        // what an array's text form would have to quote or escape, and the word that would read as a null;
        // on PostgreSQL the texts go in binary, so this holds the binary encoding to the text one's result
        List<String> texts = Arrays.asList("a,b", "{x}", "say \"hi\"", "back\\slash", "", "NULL", null, "Zürich 東京 🎥",
                " padded ");
        List<String> seen = new ArrayList<>();
        inTransaction(c -> {
            Pipeline p = Pipeline.on(c);
            p.query("select x from unnest(?) with ordinality as u(x, i) order by i", b -> b.texts(texts), r -> {
                while (r.next()) {
                    seen.add(r.getString(1));
                }
            });
            p.run();
        });
        assertThat(seen).containsExactlyElementsOf(texts);
    }

    @Test
    void aFailingStatementShouldFailTheRunAndStopTheRest() {
        AtomicInteger ranAfter = new AtomicInteger();
        assertThatThrownBy(() -> inTransaction(c -> {
            Pipeline p = Pipeline.on(c);
            p.update("insert into pipeline_test (k) values (?)", b -> b.text("once"));
            p.update("insert into pipeline_test (k) values (?)", b -> b.text("once"));
            p.query("select 1 from pipeline_test", b -> { }, r -> ranAfter.incrementAndGet());
            p.run();
        })).hasRootCauseInstanceOf(SQLException.class);
        assertThat(ranAfter.get()).isZero();
        assertThat(count()).as("the transaction rolled back whole").isZero();
    }

    @Test
    void aCommitSentWithTheLastStatementsShouldCommitThemBeforeTheTransactionManagerDoes() {
        boolean[] together = {false};
        int[] seenByOthersBeforeTheEnd = {-1};
        inTransaction(c -> {
            Pipeline p = Pipeline.on(c);
            p.update("insert into pipeline_test (k) values (?)", b -> b.text("kept"));
            together[0] = p.commitLast();
            p.run();
            // a transaction of its own (this one suspended meanwhile) sees the row only if it committed
            seenByOthersBeforeTheEnd[0] = count();
        });
        assertThat(seenByOthersBeforeTheEnd[0]).isEqualTo(together[0] ? 1 : 0);
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void aStatementFailingBeforeTheCommitShouldLeaveNothingCommittedAndSaySo() {
        boolean[] together = {false};
        Throwable failed = org.assertj.core.api.Assertions.catchThrowable(() -> inTransaction(c -> {
            Pipeline p = Pipeline.on(c);
            p.update("insert into pipeline_test (k) values (?)", b -> b.text("first"));
            p.update("insert into pipeline_test (k) values (?)", b -> b.text("first"));
            together[0] = p.commitLast();
            p.run();
        }));
        assertThat(failed).hasRootCauseInstanceOf(SQLException.class);
        assertThat(count()).as("the server skipped the commit after the failing statement").isZero();
        if (together[0]) {
            assertThat(Pipeline.refusedByServer(failed)).isTrue();
        }
    }

    private int count() {
        AtomicInteger n = new AtomicInteger(-1);
        inTransaction(c -> {
            Pipeline p = Pipeline.on(c);
            p.query("select count(*) from pipeline_test", b -> { }, r -> {
                r.next();
                n.set(r.getInt(1));
            });
            p.run();
        });
        return n.get();
    }

    @Test
    void aPipelineShouldRunOnce() {
        inTransaction(c -> {
            Pipeline p = Pipeline.on(c);
            p.run();
            assertThatThrownBy(p::run).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> p.update("select 1", b -> { })).isInstanceOf(IllegalStateException.class);
        });
    }
}
