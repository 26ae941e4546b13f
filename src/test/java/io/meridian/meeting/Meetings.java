package io.meridian.meeting;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.time.Instant;

import static io.restassured.RestAssured.given;

/** Requests of the live-meeting API for tests, as one controller (or another). */
public final class Meetings {

    static final String CLIENT = "controller-1";

    private Meetings() {
    }

    static RequestSpecification as(String subject) {
        return given().auth().oauth2(Tokens.claims(Roles.MEETING_CLIENT).subject(subject).sign());
    }

    public static RequestSpecification client() {
        return as(CLIENT);
    }

    /** Opens a meeting with this body; answers its id. */
    public static String create(String body) {
        return client().contentType(ContentType.JSON).body(body).when().post("/api/v1/meetings").then()
                .statusCode(201).extract().path("id");
    }

    public static Response join(String meeting, String participant, String location) {
        return client().contentType(ContentType.JSON)
                .body("{\"id\": \"" + participant + "\", \"location\": " + location + "}")
                .when().post("/api/v1/meetings/" + meeting + "/participants");
    }

    static Response leave(String meeting, String participant) {
        return client().when().delete("/api/v1/meetings/" + meeting + "/participants/" + participant);
    }

    static void end(String meeting) {
        client().when().delete("/api/v1/meetings/" + meeting).then().statusCode(204);
    }

    static JsonPath dataCenter(String id) {
        return Tokens.asClient().when().get("/api/v1/data-centers/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** A load report for {@code dc} now (newer than any before it). */
    static void report(String dc, int load) {
        report(dc, load, Instant.now());
    }

    static void report(String dc, int load, Instant at) {
        Tokens.as(Roles.OPS).contentType(ContentType.JSON)
                .body("{\"activeParticipants\": " + load + ", \"reportedAt\": \"" + at + "\"}")
                .when().post("/api/v1/data-centers/" + dc + "/load-reports").then().statusCode(202);
    }
}
