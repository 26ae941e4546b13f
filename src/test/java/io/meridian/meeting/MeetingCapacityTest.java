package io.meridian.meeting;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * Live participants hold places exactly, and never with a load report counting them twice. Canada's
 * sites (no other test uses them) are loaded by reports to leave a few places.
 */
@QuarkusTest
class MeetingCapacityTest {

    static final String TORONTO = "{\"latitude\": 43.65, \"longitude\": -79.38}";
    /** ca-yyz: floor(15000 * 0.85). */
    static final int YYZ_USABLE = 12750;

    @BeforeEach
    void fillCanada() {
        Meetings.report("ca-yyz", YYZ_USABLE - 3);
        Meetings.report("ca-yvr", 6800);
    }

    @AfterEach
    void emptyCanada() {
        Meetings.report("ca-yyz", 0);
        Meetings.report("ca-yvr", 0);
    }

    @Test
    void joinsShouldTakeEveryPlaceLeftAndNoMoreAndAFullRegionShouldNeverSpill() {
        String id = Meetings.create("{\"meetingId\": \"full-1\", \"allowedRegions\": [\"CA\"]}");
        try {
            for (int i = 0; i < 3; i++) {
                Meetings.join(id, "p" + i, TORONTO).then().statusCode(201).body("dataCenter", equalTo("ca-yyz"));
            }
            assertThat(Meetings.dataCenter("ca-yyz").getInt("live")).isEqualTo(3);
            assertThat(Meetings.dataCenter("ca-yyz").getInt("headroom")).isZero();
            String leaseBefore = Meetings.client().when().get("/api/v1/meetings/" + id).then().extract().path("expiresAt");
            var refused = Meetings.join(id, "p3", TORONTO);
            refused.then().statusCode(503).body("type", endsWith("/problems/no-permitted-capacity"))
                    .contentType("application/problem+json");
            assertThat(refused.header("Retry-After")).isNotNull();
            // the controller is alive: a refused join renews the lease all the same
            assertThat(Meetings.client().when().get("/api/v1/meetings/" + id).then().extract().<String>path("expiresAt"))
                    .isGreaterThan(leaseBefore);
            // the refused join holds nothing and is not in the meeting
            assertThat(Meetings.dataCenter("ca-yyz").getInt("live")).isEqualTo(3);
            Meetings.client().when().get("/api/v1/meetings/" + id).then().body("participantCount", equalTo(3));
            // a leave gives its place back at once
            Meetings.leave(id, "p0").then().statusCode(204);
            assertThat(Meetings.dataCenter("ca-yyz").getInt("headroom")).isEqualTo(1);
            Meetings.join(id, "p3", TORONTO).then().statusCode(201).body("dataCenter", equalTo("ca-yyz"));
        } finally {
            Meetings.end(id);
        }
        assertThat(Meetings.dataCenter("ca-yyz").getInt("live")).isZero();
        assertThat(Meetings.dataCenter("ca-yyz").getInt("headroom")).isEqualTo(3);
    }

    /**
     * A report counts everyone on the site at its time, live participants too: they count once. Joins
     * after it are added, leaves after it of people it counted given back.
     */
    @Test
    void aLoadReportShouldNotCountLiveParticipantsTwice() {
        String id = Meetings.create("{\"meetingId\": \"counted-1\", \"allowedRegions\": [\"CA\"]}");
        try {
            Meetings.join(id, "a", TORONTO).then().statusCode(201);
            Meetings.join(id, "b", TORONTO).then().statusCode(201);
            assertThat(Meetings.dataCenter("ca-yyz").getInt("headroom")).isEqualTo(1);
            // the site reports its 12,747 others plus our two: nothing changes
            Meetings.report("ca-yyz", YYZ_USABLE - 3 + 2);
            var yyz = Meetings.dataCenter("ca-yyz");
            assertThat(yyz.getInt("liveAtReport")).isEqualTo(2);
            assertThat(yyz.getInt("live")).isEqualTo(2);
            assertThat(yyz.getInt("headroom")).isEqualTo(1);
            // one it counted leaves: its place is given back
            Meetings.leave(id, "a").then().statusCode(204);
            assertThat(Meetings.dataCenter("ca-yyz").getInt("headroom")).isEqualTo(2);
            // one joins after the report: it takes a place
            Meetings.join(id, "c", TORONTO).then().statusCode(201);
            Meetings.join(id, "d", TORONTO).then().statusCode(201);
            assertThat(Meetings.dataCenter("ca-yyz").getInt("headroom")).isZero();
            Meetings.join(id, "e", TORONTO).then().statusCode(503);
            // a newer report, taken with b, c and d on the site, that sees fewer others
            Instant later = Instant.now();
            Meetings.report("ca-yyz", 100, later);
            yyz = Meetings.dataCenter("ca-yyz");
            assertThat(yyz.getInt("liveAtReport")).isEqualTo(3);
            assertThat(yyz.getInt("headroom")).isEqualTo(YYZ_USABLE - 3 - (100 - 3));
            // a report that counts fewer than our live participants never makes room below them
            Meetings.report("ca-yyz", 0, later.plusMillis(5));
            assertThat(Meetings.dataCenter("ca-yyz").getInt("headroom")).isEqualTo(YYZ_USABLE - 3);
        } finally {
            Meetings.end(id);
        }
        assertThat(Meetings.dataCenter("ca-yyz").getInt("live")).isZero();
    }

    /** A report stamped before some joins saw only those present then. */
    @Test
    void aReportFromBeforeAJoinShouldCountOnlyWhoWasThere() throws Exception {
        String id = Meetings.create("{\"allowedRegions\": [\"CA\"]}");
        try {
            Meetings.join(id, "a", TORONTO).then().statusCode(201);
            Thread.sleep(20);
            Instant between = Instant.now();
            Thread.sleep(20);
            Meetings.join(id, "b", TORONTO).then().statusCode(201);
            Meetings.leave(id, "a").then().statusCode(204);
            // stamped when a was there and b was not: it saw one live participant (a), who has left since
            Meetings.report("ca-yyz", YYZ_USABLE - 3 + 1, between);
            var yyz = Meetings.dataCenter("ca-yyz");
            assertThat(yyz.getInt("liveAtReport")).isEqualTo(1);
            assertThat(yyz.getInt("live")).isEqualTo(1);
            // in use: b, plus the 12,747 others the report saw
            assertThat(yyz.getInt("headroom")).isEqualTo(2);
        } finally {
            Meetings.end(id);
        }
    }

    @Test
    void aPolicyThatLeavesNoRegionShouldBeRefusedWhenTheMeetingIsCreated() {
        Meetings.client().contentType(ContentType.JSON).body("{\"allowedRegions\": [\"CA\"], \"blockedRegions\": [\"CA\"]}")
                .when().post("/api/v1/meetings").then().statusCode(422)
                .body("type", endsWith("/problems/no-permitted-region"));
    }
}
