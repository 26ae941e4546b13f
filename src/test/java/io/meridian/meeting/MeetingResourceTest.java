package io.meridian.meeting;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The controller's loop on the live-meeting API: create, join, leave, renew, end; and who may do what. */
@QuarkusTest
class MeetingResourceTest {

    static final String FRANKFURT = "{\"latitude\": 50.11, \"longitude\": 8.68}";
    static final String NEW_YORK = "{\"latitude\": 40.71, \"longitude\": -74.0}";
    static final String SYDNEY = "{\"latitude\": -33.87, \"longitude\": 151.21}";

    @Test
    void aControllersLoopShouldCreateJoinLeaveRenewAndEnd() {
        Response created = Meetings.client().contentType(ContentType.JSON)
                .body("{\"meetingId\": \"loop-1\", \"blockedRegions\": [\"cn\"]}").when().post("/api/v1/meetings");
        created.then().statusCode(201).body("meetingId", equalTo("loop-1")).body("participantCount", equalTo(0))
                .body("participants", hasSize(0)).body("effectivePolicy.blockedRegions[0]", equalTo("CN"))
                .body("expiresAt", notNullValue());
        String id = created.path("id");
        assertThat(created.header("Location")).isEqualTo("/api/v1/meetings/" + id);

        Meetings.join(id, "alice", FRANKFURT).then().statusCode(201)
                .body("participantId", equalTo("alice")).body("dataCenter", equalTo("eu-fra"))
                .body("region", equalTo("EU")).body("rttSource", equalTo("ESTIMATED"))
                .body("openedDataCenter", equalTo(true)).body("meeting.participantCount", equalTo(1))
                .body("meeting.dataCenters[0].primary", equalTo(true)).body("meeting.participants", nullValue());
        // nobody moves when others join: a second European goes to eu-fra too, and alice stays
        Meetings.join(id, "bob", "{\"country\": \"DE\"}").then().statusCode(201)
                .body("dataCenter", equalTo("eu-fra")).body("openedDataCenter", equalTo(false));
        // the same participant joining again: 200 with its assignment, nothing changed
        Meetings.join(id, "alice", NEW_YORK).then().statusCode(200).body("dataCenter", equalTo("eu-fra"))
                .body("meeting.participantCount", equalTo(2));

        JsonPath view = Meetings.client().when().get("/api/v1/meetings/" + id).then().statusCode(200)
                .extract().jsonPath();
        assertThat(view.getList("participants.participantId")).containsExactly("alice", "bob");
        assertThat(view.getList("dataCenters.id")).containsExactly("eu-fra");
        assertThat(view.getString("participants[0].joinedAt")).isNotNull();

        Meetings.leave(id, "bob").then().statusCode(204);
        Meetings.leave(id, "bob").then().statusCode(404);
        String before = view.getString("expiresAt");
        Meetings.client().when().put("/api/v1/meetings/" + id + "/lease").then().statusCode(200)
                .body("id", equalTo(id)).body("participantCount", equalTo(1));
        assertThat(Meetings.client().when().get("/api/v1/meetings/" + id).then().extract().<String>path("expiresAt"))
                .isGreaterThanOrEqualTo(before);

        Meetings.end(id);
        Meetings.client().when().get("/api/v1/meetings/" + id).then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        Meetings.join(id, "carol", FRANKFURT).then().statusCode(404);
        Meetings.client().when().put("/api/v1/meetings/" + id + "/lease").then().statusCode(404);
        Meetings.client().when().delete("/api/v1/meetings/" + id).then().statusCode(404);
    }

    @Test
    void aFarAwayJoinerShouldOpenADataCenterAndTheCascadeShouldLinkThem() {
        String id = Meetings.create("{\"meetingId\": \"cascade-1\"}");
        try {
            Meetings.join(id, "a", FRANKFURT).then().statusCode(201).body("dataCenter", equalTo("eu-fra"));
            Meetings.join(id, "b", SYDNEY).then().statusCode(201).body("dataCenter", equalTo("au-syd"))
                    .body("openedDataCenter", equalTo(true))
                    .body("meeting.cascadeLinks", hasSize(1)).body("meeting.regionsUsed", hasSize(2));
            // emptying a data center re-links what is left
            Meetings.leave(id, "b").then().statusCode(204);
            Meetings.client().when().get("/api/v1/meetings/" + id).then().statusCode(200)
                    .body("dataCenters", hasSize(1)).body("cascadeLinks", hasSize(0));
        } finally {
            Meetings.end(id);
        }
    }

    @Test
    void aMeetingShouldExistOnlyForTheCallerThatCreatedIt() {
        String id = Meetings.create("{}");
        try {
            Meetings.join(id, "a", FRANKFURT).then().statusCode(201);
            var other = Meetings.as("controller-2");
            other.when().get("/api/v1/meetings/" + id).then().statusCode(404);
            Meetings.as("controller-2").contentType(ContentType.JSON).body("{\"id\": \"x\", \"location\": " + FRANKFURT
                    + "}").when().post("/api/v1/meetings/" + id + "/participants").then().statusCode(404);
            Meetings.as("controller-2").when().delete("/api/v1/meetings/" + id + "/participants/a").then()
                    .statusCode(404);
            Meetings.as("controller-2").when().put("/api/v1/meetings/" + id + "/lease").then().statusCode(404);
            Meetings.as("controller-2").when().delete("/api/v1/meetings/" + id).then().statusCode(404);
            Meetings.client().when().get("/api/v1/meetings/" + id).then().statusCode(200)
                    .body("participantCount", equalTo(1));
            // other roles are refused outright
            Tokens.as(Roles.OPS).when().get("/api/v1/meetings/" + id).then().statusCode(403);
            io.restassured.RestAssured.given().when().get("/api/v1/meetings/" + id).then().statusCode(401);
        } finally {
            Meetings.end(id);
        }
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeyShouldReturnTheFirstMeeting() {
        String key = "create-" + UUID.randomUUID();
        String body = "{\"meetingId\": \"idem-1\"}";
        String first = Meetings.client().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .when().post("/api/v1/meetings").then().statusCode(201).extract().path("id");
        try {
            Meetings.client().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                    .when().post("/api/v1/meetings").then().statusCode(201).body("id", equalTo(first));
            Meetings.client().contentType(ContentType.JSON).header("Idempotency-Key", key)
                    .body("{\"meetingId\": \"idem-2\"}").when().post("/api/v1/meetings").then().statusCode(422)
                    .body("type", endsWith("/problems/idempotency-key-reused"));
            // another caller's key is another request
            Meetings.as("controller-2").contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                    .when().post("/api/v1/meetings").then().statusCode(201)
                    .body("id", org.hamcrest.Matchers.not(equalTo(first)));
        } finally {
            Meetings.end(first);
        }
    }

    @Test
    void theMeetingsRecordsShouldListEveryJoinLeaveAndEnd() {
        String account = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Meetings.create("{\"meetingId\": \"recorded-1\", \"accountId\": \"" + account + "\"}");
        Meetings.join(id, "a", FRANKFURT).then().statusCode(201);
        Meetings.join(id, "b", SYDNEY).then().statusCode(201).body("dataCenter", equalTo("au-syd"));
        Meetings.leave(id, "a").then().statusCode(204);
        Meetings.end(id);
        JsonPath history = Tokens.as(Roles.OPS).when()
                .get("/api/v1/accounts/" + account + "/meetings/recorded-1/routing-history").then().statusCode(200)
                .extract().jsonPath();
        assertThat(history.getList("kind")).containsExactly("END", "LEAVE", "JOIN", "JOIN");
        assertThat(history.getList("participantId")).containsExactly(null, "a", "b", "a");
        String now = java.time.Instant.now().plusSeconds(60).toString();
        String from = java.time.Instant.now().minusSeconds(3600).toString();
        Tokens.as(Roles.OPS).when().get("/api/v1/accounts/" + account + "/traffic-report?from=" + from + "&to=" + now)
                .then().statusCode(200).body("joins", equalTo(2)).body("plans", equalTo(0))
                .body("participants", equalTo(2)).body("meetings", equalTo(1)).body("policyViolations", equalTo(0))
                .body("byRegion.size()", equalTo(2));
    }
}
