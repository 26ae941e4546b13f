package io.meridian.rerouting;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;

/** Requests of the API a re-routing test makes: meetings, policies, statuses, and the stored events. */
public final class Live {

    public static final String CLIENT = "rerouting-controller";
    public static final String MUMBAI = "{\"latitude\": 19.07, \"longitude\": 72.88}";
    public static final String SYDNEY = "{\"latitude\": -33.87, \"longitude\": 151.21}";
    public static final String SINGAPORE = "{\"latitude\": 1.35, \"longitude\": 103.82}";
    public static final String MEXICO = "{\"latitude\": 19.43, \"longitude\": -99.13}";
    public static final String OSAKA = "{\"latitude\": 34.69, \"longitude\": 135.50}";

    private Live() {
    }

    public static RequestSpecification client() {
        return given().auth().oauth2(Tokens.claims(Roles.MEETING_CLIENT).subject(CLIENT).sign());
    }

    public static String create(String body) {
        return client().contentType(ContentType.JSON).body(body).when().post("/api/v1/meetings").then()
                .statusCode(201).extract().path("id");
    }

    public static String join(String meeting, String participant, String location) {
        return client().contentType(ContentType.JSON)
                .body("{\"id\": \"" + participant + "\", \"location\": " + location + "}")
                .when().post("/api/v1/meetings/" + meeting + "/participants").then().statusCode(201).extract()
                .path("dataCenter");
    }

    public static JsonPath meeting(String id) {
        return client().when().get("/api/v1/meetings/" + id).then().statusCode(200).extract().jsonPath();
    }

    public static void end(String id) {
        client().when().delete("/api/v1/meetings/" + id);
    }

    public static RequestSpecification admin(String account) {
        return Tokens.as(Roles.REGION_ADMIN, account);
    }

    /** Puts a policy (creating it, or over the current version); answers the response. */
    public static Response putPolicy(String account, String body) {
        Response current = admin(account).when().get("/api/v1/accounts/" + account + "/region-policy");
        RequestSpecification put = admin(account).contentType(ContentType.JSON).body(body);
        if (current.statusCode() == 200) {
            put = put.header("If-Match", current.header("ETag"));
        }
        return put.when().put("/api/v1/accounts/" + account + "/region-policy");
    }

    public static Response deletePolicy(String account) {
        Response current = admin(account).when().get("/api/v1/accounts/" + account + "/region-policy");
        return admin(account).header("If-Match", current.header("ETag")).when()
                .delete("/api/v1/accounts/" + account + "/region-policy");
    }

    public static void status(String dc, String status) {
        Tokens.as(Roles.OPS).contentType(ContentType.JSON).body("{\"status\": \"" + status + "\", \"reason\": \"test\"}")
                .when().put("/api/v1/data-centers/" + dc + "/status").then().statusCode(200);
    }

    public static void report(String dc, int load) {
        Tokens.as(Roles.OPS).contentType(ContentType.JSON)
                .body("{\"activeParticipants\": " + load + ", \"reportedAt\": \"" + Instant.now() + "\"}")
                .when().post("/api/v1/data-centers/" + dc + "/load-reports").then().statusCode(202);
    }

    public static JsonPath dataCenter(String id) {
        return Tokens.asClient().when().get("/api/v1/data-centers/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** A stored event: its type and body. */
    public record Event(long seq, String type, JsonPath body) {
    }

    public static List<Event> events(DataSource ds, String meeting) {
        List<Event> events = new ArrayList<>();
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("select seq, type, body from meeting_event where meeting_id = ? "
                     + "order by seq")) {
            ps.setString(1, meeting);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    events.add(new Event(r.getLong(1), r.getString(2), JsonPath.from(r.getString(3))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    public static List<Event> events(DataSource ds, String meeting, String type) {
        return events(ds, meeting).stream().filter(e -> e.type().equals(type)).toList();
    }

    /** Waits (generously: the machine is loaded) until the condition holds. */
    public static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
