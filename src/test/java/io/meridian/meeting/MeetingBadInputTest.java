package io.meridian.meeting;

import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Every bad input to the live-meeting endpoints is a clear 4xx problem, never a 500, and changes nothing. */
@QuarkusTest
class MeetingBadInputTest {

    private String meeting;

    @BeforeEach
    void open() {
        meeting = Meetings.create("{\"meetingId\": \"bad-input\"}");
    }

    @AfterEach
    void close() {
        Meetings.end(meeting);
    }

    private io.restassured.response.ValidatableResponse joinBody(String body) {
        return Meetings.client().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/meetings/" + meeting + "/participants").then()
                .contentType(startsWith("application/problem+json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{", "[]", "{\"id\": \"a\"}", "{\"location\": {\"country\": \"DE\"}}",
            "{\"id\": \"\", \"location\": {\"country\": \"DE\"}}",
            "{\"id\": \"a\\u0000b\", \"location\": {\"country\": \"DE\"}}",
            "{\"id\": \"a\", \"location\": {\"country\": \"XX\"}}",
            "{\"id\": \"a\", \"location\": {\"country\": \"DEU\"}}",
            "{\"id\": \"a\", \"location\": {\"latitude\": 91, \"longitude\": 0}}",
            "{\"id\": \"a\", \"location\": {\"latitude\": 1e400, \"longitude\": 0}}",
            "{\"id\": \"a\", \"location\": {\"latitude\": \"50\", \"longitude\": 8}}",
            "{\"id\": \"a\", \"location\": {\"latitude\": 50}}",
            "{\"id\": 5, \"location\": {\"country\": \"DE\"}}",
            "{\"id\": \"a\", \"location\": {\"country\": \"DE\"}, \"measuredRttMs\": {\"xx-nope\": 3}}",
            "{\"id\": \"a\", \"location\": {\"country\": \"DE\"}, \"measuredRttMs\": {\"eu-fra\": -1}}",
            "{\"id\": \"a\", \"location\": {\"country\": \"DE\"}, \"measuredRttMs\": {\"eu-fra\": 1e9}}",
            "{\"id\": \"a\", \"location\": {\"country\": \"DE\"}, \"extra\": true}",
            "{\"id\": \"a\", \"id\": \"b\", \"location\": {\"country\": \"DE\"}}"})
    void aJoinThatAPlanWouldRefuseShouldBe400(String body) {
        joinBody(body).statusCode(400).body("type", endsWith("/problems/invalid-request"));
        Meetings.client().when().get("/api/v1/meetings/" + meeting).then().statusCode(200)
                .body("participantCount", equalTo(0));
    }

    /** The same participant in a plan and in a join: the same problem, field paths relative to it. */
    @Test
    void aJoinShouldGetThePlansAnswerForTheSameParticipant() {
        String participant = "{\"id\": \"a\", \"location\": {\"country\": \"ZZ\"}}";
        JsonPath plan = Tokens.asClient().contentType(ContentType.JSON).body("{\"participants\": [" + participant + "]}")
                .when().post("/api/v1/routing-plans").then().statusCode(400).extract().jsonPath();
        JsonPath join = joinBody(participant).statusCode(400).extract().jsonPath();
        assertThat(join.getString("type")).isEqualTo(plan.getString("type"));
        assertThat(join.getString("errors[0].message")).isEqualTo(plan.getString("errors[0].message"));
        assertThat(plan.getString("errors[0].field")).isEqualTo("participants[0]." + join.getString("errors[0].field"));
    }

    @Test
    void aBodyWithoutContentTypeShouldBe415() {
        Meetings.client().body("{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}".getBytes())
                .when().post("/api/v1/meetings/" + meeting + "/participants").then().statusCode(415)
                .contentType(startsWith("application/problem+json"));
        Meetings.client().body("{}".getBytes()).when().post("/api/v1/meetings").then().statusCode(415);
        Meetings.client().contentType("text/plain").body("{}").when().post("/api/v1/meetings").then().statusCode(415);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"meetingId\": 5}", "{\"meetingId\": \"a b\"}", "{\"meetingId\": \"a\\u0000\"}",
            "{\"accountId\": \"-x\"}", "{\"blockedRegions\": [\"XX\"]}", "{\"allowedRegions\": [\"\"]}",
            "{\"blockedRegions\": \"CN\"}", "{\"reservationId\": \"nope\"}",
            "{\"reservationId\": \"01JD2Q7ZK3M6W1X5N8P0R4T9V2\"}", "{\"unknown\": 1}", "\"text\""})
    void aBadCreateShouldBe400(String body) {
        Meetings.client().contentType(ContentType.JSON).body(body).when().post("/api/v1/meetings").then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", endsWith("/problems/invalid-request"));
    }

    @Test
    void badIdempotencyKeysShouldBe400() {
        Meetings.client().contentType(ContentType.JSON).header("Idempotency-Key", "x".repeat(201)).body("{}")
                .when().post("/api/v1/meetings").then().statusCode(400).body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "01JD2Q7ZK3M6W1X5N8P0R4T9V", "01JD2Q7ZK3M6W1X5N8P0R4T9VU", "01jd2q7zk3m6w1x5n8p0r4t9v2",
            "81JD2Q7ZK3M6W1X5N8P0R4T9V2", "01JD2Q7ZK3M6W1X5N8P0R4T9V2"})
    void aMeetingIdThatNamesNoMeetingShouldBe404(String id) {
        Meetings.client().urlEncodingEnabled(false).when().get("/api/v1/meetings/" + id).then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        Meetings.client().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body("{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}")
                .when().post("/api/v1/meetings/" + id + "/participants").then().statusCode(404);
        Meetings.client().urlEncodingEnabled(false).when().put("/api/v1/meetings/" + id + "/lease").then().statusCode(404);
        Meetings.client().urlEncodingEnabled(false).when().delete("/api/v1/meetings/" + id).then().statusCode(404);
        Meetings.client().urlEncodingEnabled(false).when().delete("/api/v1/meetings/" + id + "/participants/a")
                .then().statusCode(404);
    }

    @Test
    void aBlankParticipantIdShouldBe400() {
        Meetings.client().urlEncodingEnabled(false).when().delete("/api/v1/meetings/" + meeting + "/participants/%20")
                .then().statusCode(400).body("errors[0].field", equalTo("participantId"));
    }

    /** Control characters in a path are refused by the HTTP layer before any endpoint (never stored or looked up). */
    @ParameterizedTest
    @ValueSource(strings = {"/participants/a%00b", "/participants/a%1Fb", "%00"})
    void controlCharactersInAPathShouldBe400(String tail) {
        Meetings.client().urlEncodingEnabled(false).when().delete("/api/v1/meetings/" + meeting + tail)
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", endsWith("/problems/invalid-request"));
    }

    @Test
    void anOverlongParticipantIdShouldBe400() {
        Meetings.client().when().delete("/api/v1/meetings/" + meeting + "/participants/" + "a".repeat(129))
                .then().statusCode(400);
    }
}
