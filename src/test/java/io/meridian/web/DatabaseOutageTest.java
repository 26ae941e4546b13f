package io.meridian.web;

import io.meridian.meeting.Meetings;
import io.meridian.security.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The database goes away for a few seconds while every job runs each second: each job logs one WARN
 * (saying what still works) and one INFO when it is back, never a stack trace per run; plans without
 * an account keep being answered, the snapshot's age shows in metrics and readiness.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.Severable.class)
// an H2 database behind a proxy: the pg profile's PostgreSQL driver cannot reach it
@DisabledIfSystemProperty(named = "quarkus.test.profile", matches = ".*pg.*")
class DatabaseOutageTest {

    public static class Severable implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SeveredDatabase.class));
        }
    }

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                logged.add(record);
            }
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
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void anOutageShouldLogOneWarningPerJobAndOneLineWhenItIsBack() throws InterruptedException {
        String meeting = Meetings.create("{}");
        Logger.getLogger("").addHandler(capture);
        SeveredDatabase.sever();
        Thread.sleep(6_000);
        Tokens.asClient().contentType(ContentType.JSON)
                .body("{\"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}]}")
                .when().post("/api/v1/routing-plans").then().statusCode(200);
        // a join must hold its place in the database: without it, a clear 503 to retry, never a 500
        Meetings.join(meeting, "a", "{\"country\": \"DE\"}").then().statusCode(503)
                .contentType(ProblemMapper.PROBLEM_JSON).header("Retry-After", notNullValue())
                .body("type", endsWith("/problems/temporarily-unavailable"));
        // the datasource's own readiness check is DOWN meanwhile (503); this one reports the snapshot
        given().when().get(ready).then()
                .body("checks.find { it.name == 'capacity-snapshot' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'capacity-snapshot' }.data.databaseReachable", equalTo(false))
                .body("checks.find { it.name == 'capacity-snapshot' }.data.snapshotAgeSeconds", greaterThanOrEqualTo(3));
        String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape).containsPattern("meridian_capacity_snapshot_age_seconds ([3-9]|[1-9][0-9]+)\\.");
        SeveredDatabase.restore();
        Thread.sleep(5_000);
        given().when().get(ready).then().statusCode(200)
                .body("checks.find { it.name == 'capacity-snapshot' }.data.databaseReachable", equalTo(true));

        List<String> warnings = lines(Level.WARNING, "cannot reach the database");
        List<String> jobs = warnings.stream().map(w -> w.substring(0, w.indexOf(" cannot"))).toList();
        assertThat(jobs).as("one WARN per job").doesNotHaveDuplicates();
        assertThat(warnings).anyMatch(w -> w.startsWith("Capacity refresh cannot reach the database")
                && w.contains("Plans without an account keep being answered"));
        assertThat(warnings).anyMatch(w -> w.startsWith("Reservation cleanup cannot reach the database"));
        assertThat(lines(Level.INFO, "reaches the database again")).anyMatch(l -> l.startsWith("Capacity refresh"));
        assertThat(logged).as("no ERROR during the outage")
                .noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue());
        assertThat(logged).as("no stack trace from the service's jobs")
                .noneMatch(r -> r.getThrown() != null && r.getLoggerName().startsWith("io.meridian"));
        // nothing of the service's repeats per tick: each of its warnings comes once or twice, not once
        // per tick of its job. (The pool and the transaction manager warn once per pooled connection
        // that broke, up to the pool's size; that is theirs, and bounded by the pool, not by time.)
        Map<String, Long> ours = logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .filter(r -> r.getLoggerName().startsWith("io.meridian"))
                .collect(Collectors.groupingBy(r -> r.getLoggerName() + ": " + format(r).replaceAll("[0-9]+", "#"),
                        Collectors.counting()));
        assertThat(ours).as("each of the service's warnings in an outage of 6 s, its jobs ticking every second")
                .isNotEmpty().allSatisfy((warning, times) -> assertThat(times).as(warning).isLessThan(3));
    }

    private List<String> lines(Level level, String containing) {
        return logged.stream().filter(r -> r.getLevel().equals(level)).map(r -> format(r))
                .filter(m -> m.contains(containing)).toList();
    }

    private static String format(LogRecord r) {
        String message = r.getMessage();
        Object[] params = r.getParameters();
        if (params != null && params.length > 0 && message.contains("%")) {
            try {
                return String.format(message, params);
            } catch (RuntimeException e) {
                return message;
            }
        }
        return message;
    }
}
