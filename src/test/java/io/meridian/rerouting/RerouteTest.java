package io.meridian.rerouting;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each trigger of live re-routing, end to end through the API: what moves, what does not, and what
 * the controller is told. Every test uses data centers and accounts of its own (the application and
 * its database are shared by the test classes).
 */
@QuarkusTest
class RerouteTest {

    @Inject
    DataSource dataSource;

    @Inject
    RerouteJobs jobs;

    private void settled() {
        Live.await("every re-routing job is done", () -> jobs.backlog().pending() == 0);
    }

    private static Map<String, String> placesOf(JsonPath meeting) {
        List<Map<String, Object>> participants = meeting.getList("participants");
        return participants.stream().collect(java.util.stream.Collectors.toMap(p -> (String) p.get("participantId"),
                p -> (String) p.get("region")));
    }

    private static JsonPath history(String account, String label) {
        return Live.admin(account).when().get("/api/v1/accounts/" + account + "/meetings/" + label + "/routing-history")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void blockingARegionShouldMoveEveryoneOffItAtOnceAndSaySo() {
        String account = "rr-block";
        String id = Live.create("{\"meetingId\": \"rr-block-1\", \"accountId\": \"" + account + "\"}");
        try {
            assertThat(Live.join(id, "m1", Live.MUMBAI)).startsWith("in-");
            assertThat(Live.join(id, "m2", Live.MUMBAI)).startsWith("in-");
            Live.join(id, "s1", Live.SINGAPORE);
            long onIndia = placesOf(Live.meeting(id)).values().stream().filter("IN"::equals).count();
            Response put = Live.putPolicy(account, "{\"blockedRegions\": [\"IN\"]}");
            put.then().statusCode(200);
            assertThat(put.header("Meridian-Live-Meetings-Affected")).isEqualTo("1");
            long version = Long.parseLong(put.header("ETag").replace("\"", ""));
            settled();
            JsonPath meeting = Live.meeting(id);
            assertThat(placesOf(meeting)).containsOnlyKeys("m1", "m2", "s1").doesNotContainValue("IN");
            assertThat(meeting.getList("regionsUsed")).doesNotContain("IN");
            assertThat(meeting.getList("effectivePolicy.blockedRegions")).contains("IN");
            List<Live.Event> moved = Live.events(dataSource, id, "PARTICIPANT_MOVED");
            assertThat(moved).hasSize((int) onIndia);
            for (Live.Event e : moved) {
                assertThat(e.body().getString("reason")).isEqualTo("REGION_BLOCKED");
                assertThat(e.body().getString("from.region")).isEqualTo("IN");
                assertThat(e.body().getString("to.region")).isNotEqualTo("IN");
                assertThat(e.body().getString("meeting")).isEqualTo(id);
                assertThat(e.body().getString("meetingId")).isEqualTo("rr-block-1");
                assertThat(e.body().getString("cause.type")).isEqualTo("POLICY_CHANGE");
                assertThat(e.body().getString("cause.accountId")).isEqualTo(account);
                assertThat(e.body().getLong("cause.version")).isEqualTo(version);
                assertThat(e.body().getString("at")).endsWith("Z");
            }
            assertThat(moved).extracting(e -> e.body().getString("participantId")).contains("m1", "m2");
            // the routing history says when and why media left India; the report counts no violation
            Live.await("the moves are recorded", () -> history(account, "rr-block-1").getList("kind").contains("MOVE"));
            JsonPath history = history(account, "rr-block-1");
            assertThat(history.getList("findAll { it.kind == 'MOVE' }.regionsUsed.flatten()")).doesNotContain("IN")
                    .hasSize((int) onIndia);
            assertThat(io.meridian.security.Tokens.as(io.meridian.security.Roles.OPS).when()
                    .get("/api/v1/accounts/" + account + "/traffic-report?from=" + java.time.Instant.now().minusSeconds(3600)
                            + "&to=" + java.time.Instant.now().plusSeconds(3600)).then().statusCode(200).extract()
                    .jsonPath().getLong("policyViolations")).isZero();
            // the same change again (a resumed job) moves nobody twice
            Live.putPolicy(account, "{\"blockedRegions\": [\"IN\"]}").then().statusCode(200);
            settled();
            assertThat(Live.events(dataSource, id, "PARTICIPANT_MOVED")).hasSize((int) onIndia);
        } finally {
            Live.end(id);
            Live.deletePolicy(account);
        }
    }

    @Test
    void aWhatIfShouldShowTheMovesAChangeWouldCauseAndChangeNothing() {
        String account = "rr-whatif";
        String id = Live.create("{\"meetingId\": \"rr-whatif-1\", \"accountId\": \"" + account + "\"}");
        try {
            Live.join(id, "w1", Live.MUMBAI);
            Live.join(id, "w2", Live.MUMBAI);
            Map<String, String> before = placesOf(Live.meeting(id));
            JsonPath whatIf = Live.admin(account).contentType("application/json").body("{\"blockedRegions\": [\"IN\"]}")
                    .when().post("/api/v1/accounts/" + account + "/region-policy/what-if").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(whatIf.getInt("liveMeetingsAffected")).isEqualTo(1);
            assertThat(whatIf.getBoolean("truncated")).isFalse();
            assertThat(whatIf.getList("moves.participantId")).containsExactlyInAnyOrder("w1", "w2");
            assertThat(whatIf.getList("moves.outcome")).containsOnly("MOVED");
            assertThat(whatIf.getList("moves.reason")).containsOnly("REGION_BLOCKED");
            assertThat(whatIf.getList("moves.from.region")).containsOnly("IN");
            assertThat(whatIf.getList("moves.to.region")).doesNotContain("IN");
            assertThat(whatIf.getList("moves.meeting")).containsOnly(id);
            // nothing was stored or moved
            Live.admin(account).when().get("/api/v1/accounts/" + account + "/region-policy").then().statusCode(404);
            assertThat(placesOf(Live.meeting(id))).isEqualTo(before);
            assertThat(Live.events(dataSource, id, "PARTICIPANT_MOVED")).isEmpty();
            // bad input as for PUT; another account's what-if is not this admin's
            Live.admin(account).contentType("application/json").body("{\"blockedRegions\": [\"XX\"]}")
                    .when().post("/api/v1/accounts/" + account + "/region-policy/what-if").then().statusCode(400);
            Live.admin(account).contentType("application/json").body("{\"blockedRegions\": []}")
                    .when().post("/api/v1/accounts/other/region-policy/what-if").then().statusCode(403);
        } finally {
            Live.end(id);
        }
    }

    @Test
    void narrowingTheAllowListShouldMoveThoseNoLongerAllowed() {
        String account = "rr-allow";
        Live.putPolicy(account, "{\"blockedRegions\": [], \"allowedRegions\": [\"AU\", \"SG\", \"JP\"]}")
                .then().statusCode(200);
        String id = Live.create("{\"meetingId\": \"rr-allow-1\", \"accountId\": \"" + account + "\"}");
        try {
            assertThat(Live.join(id, "j1", Live.OSAKA)).startsWith("jp-");
            Live.join(id, "a1", Live.SYDNEY);
            long onJapan = placesOf(Live.meeting(id)).values().stream().filter("JP"::equals).count();
            Response put = Live.putPolicy(account, "{\"blockedRegions\": [], \"allowedRegions\": [\"AU\", \"SG\"]}");
            assertThat(put.header("Meridian-Live-Meetings-Affected")).isEqualTo("1");
            settled();
            assertThat(placesOf(Live.meeting(id))).containsOnlyKeys("j1", "a1").doesNotContainValue("JP");
            List<Live.Event> moved = Live.events(dataSource, id, "PARTICIPANT_MOVED");
            assertThat(moved).hasSize((int) onJapan).allSatisfy(e -> {
                assertThat(e.body().getString("reason")).isEqualTo("REGION_NOT_ALLOWED");
                assertThat(e.body().getString("from.region")).isEqualTo("JP");
            });
            assertThat(moved).extracting(e -> e.body().getString("participantId")).contains("j1");
        } finally {
            Live.end(id);
            Live.deletePolicy(account);
        }
    }

    @Test
    void aChangeThatOnlyWidensShouldMoveNobodyButWidenTheMeetingsPolicy() {
        String account = "rr-widen";
        Live.putPolicy(account, "{\"blockedRegions\": [\"CN\"]}").then().statusCode(200);
        String id = Live.create("{\"meetingId\": \"rr-widen-1\", \"accountId\": \"" + account + "\"}");
        try {
            Live.join(id, "w1", Live.SINGAPORE);
            Live.join(id, "w2", Live.MUMBAI);
            Map<String, String> before = placesOf(Live.meeting(id));
            Response widened = Live.putPolicy(account, "{\"blockedRegions\": []}");
            assertThat(widened.header("Meridian-Live-Meetings-Affected")).isEqualTo("0");
            settled();
            JsonPath meeting = Live.meeting(id);
            assertThat(placesOf(meeting)).isEqualTo(before);
            assertThat(meeting.getList("effectivePolicy.blockedRegions")).isEmpty();
            Response deleted = Live.deletePolicy(account);
            deleted.then().statusCode(204);
            assertThat(deleted.header("Meridian-Live-Meetings-Affected")).isEqualTo("0");
            settled();
            assertThat(Live.events(dataSource, id, "PARTICIPANT_MOVED")).isEmpty();
            assertThat(placesOf(Live.meeting(id))).isEqualTo(before);
        } finally {
            Live.end(id);
        }
    }

    @Test
    void aDataCenterDownShouldMoveItsPeopleAndActiveAgainShouldMoveNobodyBack() {
        String id = Live.create("{\"meetingId\": \"rr-down-1\", \"allowedRegions\": [\"LA\"]}");
        try {
            assertThat(Live.join(id, "x1", Live.MEXICO)).isEqualTo("la-mex");
            assertThat(Live.join(id, "x2", Live.MEXICO)).isEqualTo("la-mex");
            Live.status("la-mex", "DOWN");
            settled();
            JsonPath meeting = Live.meeting(id);
            assertThat(meeting.getList("participants.dataCenter")).containsOnly("la-gru");
            assertThat(Live.dataCenter("la-mex").getInt("live")).isZero();
            assertThat(Live.dataCenter("la-gru").getInt("live")).isEqualTo(2);
            List<Live.Event> moved = Live.events(dataSource, id, "PARTICIPANT_MOVED");
            assertThat(moved).hasSize(2).allSatisfy(e -> {
                assertThat(e.body().getString("reason")).isEqualTo("DC_DOWN");
                assertThat(e.body().getString("cause.type")).isEqualTo("DC_STATUS");
                assertThat(e.body().getString("cause.dataCenter")).isEqualTo("la-mex");
                assertThat(e.body().getString("cause.status")).isEqualTo("DOWN");
                assertThat(e.body().getString("from.dataCenter")).isEqualTo("la-mex");
                assertThat(e.body().getString("to.dataCenter")).isEqualTo("la-gru");
            });
            Live.status("la-mex", "ACTIVE");
            settled();
            assertThat(Live.meeting(id).getList("participants.dataCenter")).containsOnly("la-gru");
            assertThat(Live.events(dataSource, id, "PARTICIPANT_MOVED")).hasSize(2);
        } finally {
            Live.status("la-mex", "ACTIVE");
            Live.end(id);
        }
    }

    @Test
    void drainingShouldTakeNoJoinsAndMoveNobody() {
        String id = Live.create("{\"meetingId\": \"rr-drain-1\", \"allowedRegions\": [\"HK\", \"SG\"]}");
        try {
            assertThat(Live.join(id, "h1", "{\"latitude\": 22.32, \"longitude\": 114.17}")).isEqualTo("hk-hkg");
            Live.status("hk-hkg", "DRAINING");
            settled();
            assertThat(Live.meeting(id).getList("participants.dataCenter")).containsOnly("hk-hkg");
            assertThat(Live.join(id, "h2", "{\"latitude\": 22.32, \"longitude\": 114.17}")).isEqualTo("sg-sin");
            assertThat(Live.events(dataSource, id, "PARTICIPANT_MOVED")).isEmpty();
        } finally {
            Live.status("hk-hkg", "ACTIVE");
            Live.end(id);
        }
    }

    @Test
    void aParticipantWithNowhereToGoShouldBeDisconnectedNotLeftThere() {
        String id = Live.create("{\"meetingId\": \"rr-full-1\", \"allowedRegions\": [\"AU\"]}");
        try {
            assertThat(Live.join(id, "d1", Live.SYDNEY)).isEqualTo("au-syd");
            assertThat(Live.join(id, "d2", Live.SYDNEY)).isEqualTo("au-syd");
            // au-mel: floor(8000 * 0.85) = 6800 usable; one place left
            Live.report("au-mel", 6799);
            Live.status("au-syd", "DOWN");
            settled();
            JsonPath meeting = Live.meeting(id);
            assertThat(meeting.getList("participants.dataCenter")).containsExactly("au-mel");
            assertThat(Live.dataCenter("au-syd").getInt("live")).isZero();
            assertThat(Live.dataCenter("au-mel").getInt("headroom")).isZero();
            assertThat(Live.events(dataSource, id, "PARTICIPANT_MOVED")).hasSize(1);
            List<Live.Event> gone = Live.events(dataSource, id, "PARTICIPANT_DISCONNECTED");
            assertThat(gone).singleElement().satisfies(e -> {
                assertThat(e.body().getString("reason")).isEqualTo("NO_PERMITTED_CAPACITY");
                assertThat(e.body().getString("from.dataCenter")).isEqualTo("au-syd");
                assertThat(e.body().getString("cause.type")).isEqualTo("DC_STATUS");
            });
        } finally {
            Live.status("au-syd", "ACTIVE");
            Live.report("au-mel", 0);
            Live.end(id);
        }
    }
    @Test
    void movesAndJoinsRacingForTheLastPlacesShouldNeverGoOverHeadroom() throws Exception {
        String beijing = "{\"latitude\": 39.90, \"longitude\": 116.41}";
        String shanghai = "{\"latitude\": 31.23, \"longitude\": 121.47}";
        String moving = Live.create("{\"meetingId\": \"rr-race-moves\", \"allowedRegions\": [\"CN\"]}");
        String joining = Live.create("{\"meetingId\": \"rr-race-joins\", \"allowedRegions\": [\"CN\"]}");
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(Live.join(moving, "m" + i, beijing)).isEqualTo("cn-pek");
            }
            // cn-sha: floor(20000 * 0.85) = 17000 usable; three places left for three movers and three joiners
            Live.report("cn-sha", 16997);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<Integer>> joins = new java.util.ArrayList<>();
            java.util.concurrent.Future<?> down = pool.submit(() -> Live.status("cn-pek", "DOWN"));
            for (int i = 0; i < 3; i++) {
                String who = "j" + i;
                joins.add(pool.submit(() -> Live.client().contentType("application/json")
                        .body("{\"id\": \"" + who + "\", \"location\": " + shanghai + "}")
                        .when().post("/api/v1/meetings/" + joining + "/participants").statusCode()));
            }
            down.get();
            int joined = 0;
            for (java.util.concurrent.Future<Integer> j : joins) {
                int status = j.get();
                assertThat(status).isIn(201, 503);
                joined += status == 201 ? 1 : 0;
            }
            pool.shutdown();
            settled();
            int moved = Live.events(dataSource, moving, "PARTICIPANT_MOVED").size();
            int gone = Live.events(dataSource, moving, "PARTICIPANT_DISCONNECTED").size();
            assertThat(moved + gone).as("every mover moved or disconnected").isEqualTo(3);
            assertThat(Live.meeting(moving).getList("participants.dataCenter")).doesNotContain("cn-pek");
            assertThat(Live.dataCenter("cn-sha").getInt("headroom")).isGreaterThanOrEqualTo(0);
            assertThat(Live.dataCenter("cn-sha").getInt("live")).isEqualTo(moved + joined).isLessThanOrEqualTo(3);
            assertThat(Live.dataCenter("cn-pek").getInt("live")).isZero();
        } finally {
            Live.status("cn-pek", "ACTIVE");
            Live.report("cn-sha", 0);
            Live.end(moving);
            Live.end(joining);
        }
    }
}
