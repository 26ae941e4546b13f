package io.meridian.meeting;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** A meeting whose controller vanished ends by its lease and frees everything (three-second lease here). */
@QuarkusTest
@TestProfile(MeetingLeaseExpiryTest.ShortLease.class)
class MeetingLeaseExpiryTest {

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meridian.meetings.lease", "PT3S", "meridian.meetings.expiry-interval", "1s");
        }
    }

    private static final String MUMBAI = "{\"latitude\": 19.08, \"longitude\": 72.88}";

    @Test
    void aMeetingWhoseLeaseRanOutShouldEndByItselfAndFreeItsPlaces() throws Exception {
        String account = "exp-" + UUID.randomUUID().toString().substring(0, 8);
        String id = Meetings.create("{\"meetingId\": \"vanished\", \"accountId\": \"" + account
                + "\", \"allowedRegions\": [\"IN\"]}");
        int before = Meetings.dataCenter("in-bom").getInt("live");
        Meetings.join(id, "a", MUMBAI).then().statusCode(201).body("dataCenter", equalTo("in-bom"));
        Meetings.join(id, "b", MUMBAI).then().statusCode(201);
        assertThat(Meetings.dataCenter("in-bom").getInt("live")).isEqualTo(before + 2);
        // nobody renews: the places stop counting when the lease runs out, the meeting ends by itself
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status = 200;
        while (status != 404 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            status = Meetings.client().when().get("/api/v1/meetings/" + id).then().extract().statusCode();
        }
        assertThat(status).as("the meeting is gone").isEqualTo(404);
        int live = before + 2;
        while (live != before && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(200);
            live = Meetings.dataCenter("in-bom").getInt("live");
        }
        assertThat(live).as("places freed").isEqualTo(before);
        Meetings.join(id, "c", MUMBAI).then().statusCode(404);
        // the end is recorded: wait for the expiry job to have deleted the rows and written it
        JsonPath history = null;
        while (System.nanoTime() < deadline) {
            history = Tokens.as(Roles.OPS).when().get("/api/v1/accounts/" + account
                    + "/meetings/vanished/routing-history").then().statusCode(200).extract().jsonPath();
            if (history.getList("kind").contains("EXPIRY")) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertThat(history.getList("kind")).containsExactly("EXPIRY", "JOIN", "JOIN");
        assertThat(history.getInt("[0].participants")).isEqualTo(2);
    }

    @Test
    void joinsAndRenewalsShouldKeepAMeetingAlive() throws Exception {
        String id = Meetings.create("{\"allowedRegions\": [\"IN\"]}");
        try {
            // ten steps of half a second: longer than the lease, each well within it
            for (int i = 0; i < 10; i++) {
                TimeUnit.MILLISECONDS.sleep(500);
                if (i % 2 == 0) {
                    Meetings.join(id, "p" + i, MUMBAI).then().statusCode(201);
                } else {
                    Meetings.client().when().put("/api/v1/meetings/" + id + "/lease").then().statusCode(200);
                }
            }
            Meetings.client().when().get("/api/v1/meetings/" + id).then().statusCode(200)
                    .body("participantCount", equalTo(5));
        } finally {
            Meetings.client().when().delete("/api/v1/meetings/" + id);
        }
    }
}
