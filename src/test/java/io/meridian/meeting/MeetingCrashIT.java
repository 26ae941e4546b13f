package io.meridian.meeting;

import io.meridian.PackagedService;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica killed with kill -9 in the middle of joins loses no committed join: another replica
 * serves the meeting with everyone who got a 201, holding exactly their places.
 */
class MeetingCrashIT {

    private static final String SINGAPORE = "{\"latitude\": 1.35, \"longitude\": 103.82}";

    @Test
    void committedJoinsShouldSurviveAKill() throws Exception {
        // PostgreSQL's durability: the embedded H2 file writes commits behind (WRITE_DELAY), so a
        // killed H2 process may lose the last ones; the promise is the production database's
        PackagedService.requirePostgresql();
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String token = issuer.token("crash-controller", Roles.MEETING_CLIENT);
        PackagedService a = PackagedService.start(PackagedService.freePort(), issuer);
        List<String> joined = new ArrayList<>();
        String id;
        int liveBefore;
        try {
            liveBefore = RestAssured.given().auth().oauth2(token).when().get(a.url("/api/v1/data-centers/sg-sin"))
                    .then().extract().path("live");
            id = RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body("{\"meetingId\": \"crash-1\", \"allowedRegions\": [\"SG\"]}")
                    .when().post(a.url("/api/v1/meetings")).then().statusCode(201).extract().path("id");
            for (int i = 0; i < 40; i++) {
                RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body("{\"id\": \"p" + i + "\", \"location\": " + SINGAPORE + "}")
                        .when().post(a.url("/api/v1/meetings/" + id + "/participants")).then().statusCode(201);
                joined.add("p" + i);
            }
            // joins still arriving when the replica dies: some answered, some cut off
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> late = new ArrayList<>();
            for (int i = 40; i < 200; i++) {
                String body = "{\"id\": \"p" + i + "\", \"location\": " + SINGAPORE + "}";
                String url = a.url("/api/v1/meetings/" + id + "/participants");
                late.add(pool.submit(() -> {
                    try {
                        return RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                                .when().post(url).statusCode();
                    } catch (Exception cutOff) {
                        return -1;
                    }
                }));
            }
            TimeUnit.MILLISECONDS.sleep(300);
            a.kill();
            for (int i = 0; i < late.size(); i++) {
                if (late.get(i).get(60, TimeUnit.SECONDS) == 201) {
                    joined.add("p" + (40 + i));
                }
            }
            pool.shutdownNow();
        } catch (RuntimeException | Error e) {
            a.kill();
            throw e;
        }
        try (PackagedService b = PackagedService.start(PackagedService.freePort(), issuer)) {
            JsonPath meeting = RestAssured.given().auth().oauth2(token).when().get(b.url("/api/v1/meetings/" + id))
                    .then().statusCode(200).extract().jsonPath();
            List<String> present = meeting.getList("participants.participantId");
            System.out.printf("kill -9 during joins: %d answered 201 before the kill, %d present after%n",
                    joined.size(), present.size());
            assertThat(present).as("every committed join survives").containsAll(joined);
            int live = RestAssured.given().auth().oauth2(token).when().get(b.url("/api/v1/data-centers/sg-sin"))
                    .then().extract().path("live");
            assertThat(live).as("places held exactly by who is present").isEqualTo(liveBefore + present.size());
            RestAssured.given().auth().oauth2(token).when().delete(b.url("/api/v1/meetings/" + id)).then()
                    .statusCode(204);
            int after = RestAssured.given().auth().oauth2(token).when().get(b.url("/api/v1/data-centers/sg-sin"))
                    .then().extract().path("live");
            assertThat(after).isEqualTo(liveBefore);
        }
    }
}
