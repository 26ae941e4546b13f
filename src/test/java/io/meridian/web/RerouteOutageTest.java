package io.meridian.web;

import io.meridian.rerouting.Live;
import io.meridian.rerouting.RerouteWorker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import javax.sql.DataSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database away after a change committed, before its moves were issued: they are issued once
 * the database is back, never dropped, and the worker stays quiet meanwhile (no error, no stack
 * trace per tick). (A change tried during the outage fails as any request does: DatabaseOutageTest.)
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.Severable.class)
// an H2 database behind a proxy: the pg profile's PostgreSQL driver cannot reach it
@DisabledIfSystemProperty(named = "quarkus.test.profile", matches = ".*pg.*")
class RerouteOutageTest {

    @Inject
    RerouteWorker worker;

    @Inject
    DataSource dataSource;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void reconnect() {
        SeveredDatabase.restore();
        worker.pause(false);
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void aCommittedChangeShouldBeActedOnWhenTheDatabaseIsBack() throws InterruptedException {
        String account = "rr-outage";
        String id = Live.create("{\"meetingId\": \"rr-outage-1\", \"accountId\": \"" + account + "\"}");
        Live.join(id, "a", Live.MUMBAI);
        Live.join(id, "b", Live.MUMBAI);
        worker.pause(true);
        Live.putPolicy(account, "{\"blockedRegions\": [\"IN\"]}").then().statusCode(200);
        Logger.getLogger("").addHandler(capture);
        SeveredDatabase.sever();
        worker.pause(false);
        Thread.sleep(2_000);
        SeveredDatabase.restore();
        Live.await("the participants left India", () -> {
            try {
                return Live.events(dataSource, id, "PARTICIPANT_MOVED").size() == 2;
            } catch (IllegalStateException stillAway) {
                // the pool may hand out a connection broken by the outage once more
                return false;
            }
        });
        assertThat(Live.meeting(id).getList("participants.region")).doesNotContain("IN");
        assertThat(logged).as("no ERROR from re-routing during the outage")
                .noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()
                        && r.getLoggerName().startsWith("io.meridian"));
        assertThat(logged).as("no stack trace from the service's jobs")
                .noneMatch(r -> r.getThrown() != null && r.getLoggerName().startsWith("io.meridian"));
        assertThat(logged.stream().filter(r -> r.getMessage() != null
                && r.getMessage().startsWith(RerouteWorker.JOB)).count()).as("one line when away, one when back")
                .isLessThanOrEqualTo(2);
        Live.end(id);
    }
}
