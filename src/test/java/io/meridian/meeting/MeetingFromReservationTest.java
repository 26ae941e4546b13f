package io.meridian.meeting;

import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * A webinar planned with a reservation keeps the room it reserved: its participants take the
 * reserved places, even when the site has no headroom left. Latin America's sites (loaded by reports
 * to leave a few places; no other test uses them) carry it.
 */
@QuarkusTest
class MeetingFromReservationTest {

    static final String SAO_PAULO = "{\"latitude\": -23.55, \"longitude\": -46.63}";
    /** la-gru: floor(15000 * 0.85). */
    static final int GRU_USABLE = 12750;

    @BeforeEach
    void fillLatinAmerica() {
        Meetings.report("la-gru", GRU_USABLE - 3);
        Meetings.report("la-mex", 8500);
    }

    @AfterEach
    void emptyLatinAmerica() {
        Meetings.report("la-gru", 0);
        Meetings.report("la-mex", 0);
    }

    private static String reserveTwo() {
        return Meetings.client().contentType(ContentType.JSON)
                .body("{\"allowedRegions\": [\"LA\"], \"reserve\": true, \"participants\": ["
                        + "{\"id\": \"x\", \"location\": " + SAO_PAULO + "}, {\"id\": \"y\", \"location\": " + SAO_PAULO
                        + "}]}")
                .when().post("/api/v1/routing-plans").then().statusCode(200)
                .body("reservation.participantsByDataCenter.la-gru", equalTo(2)).extract().path("reservation.id");
    }

    @Test
    void participantsShouldTakeTheReservedPlacesAndKeepThemUntilTheMeetingEnds() {
        String reservation = reserveTwo();
        String id = Meetings.create("{\"meetingId\": \"webinar-1\", \"allowedRegions\": [\"LA\"], \"reservationId\": \""
                + reservation + "\"}");
        try {
            assertThat(Meetings.dataCenter("la-gru").getInt("headroom")).isEqualTo(1);
            // someone else takes the last free place
            String other = Meetings.create("{\"allowedRegions\": [\"LA\"]}");
            Meetings.join(other, "z", SAO_PAULO).then().statusCode(201);
            Meetings.join(other, "z2", SAO_PAULO).then().statusCode(503);
            // the webinar still has its two places
            Meetings.join(id, "a", SAO_PAULO).then().statusCode(201).body("dataCenter", equalTo("la-gru"))
                    .body("usedReservedPlace", equalTo(true));
            Meetings.join(id, "b", SAO_PAULO).then().statusCode(201).body("usedReservedPlace", equalTo(true));
            var gru = Meetings.dataCenter("la-gru");
            assertThat(gru.getInt("reserved")).isZero();
            assertThat(gru.getInt("live")).isEqualTo(3);
            Meetings.join(id, "c", SAO_PAULO).then().statusCode(503);
            // a leave gives the place back to the webinar, not to everyone
            Meetings.leave(id, "a").then().statusCode(204);
            assertThat(Meetings.dataCenter("la-gru").getInt("reserved")).isEqualTo(1);
            Meetings.join(other, "z3", SAO_PAULO).then().statusCode(503);
            Meetings.join(id, "c", SAO_PAULO).then().statusCode(201).body("usedReservedPlace", equalTo(true));
            Meetings.end(other);
            // the reservation is the meeting's now: it cannot make a second meeting
            Meetings.client().contentType(ContentType.JSON).body("{\"reservationId\": \"" + reservation + "\"}")
                    .when().post("/api/v1/meetings").then().statusCode(400)
                    .body("type", endsWith("/problems/invalid-request"));
        } finally {
            Meetings.end(id);
        }
        // ending the meeting frees its places and its reservation
        var gru = Meetings.dataCenter("la-gru");
        assertThat(gru.getInt("reserved")).isZero();
        assertThat(gru.getInt("live")).isZero();
        assertThat(gru.getInt("headroom")).isEqualTo(3);
        Tokens.asClient().when().delete("/api/v1/reservations/" + reservation).then().statusCode(404);
    }

    @Test
    void anotherCallersReservationShouldNotMakeAMeeting() {
        String reservation = reserveTwo();
        try {
            Meetings.as("someone-else").contentType(ContentType.JSON)
                    .body("{\"reservationId\": \"" + reservation + "\"}").when().post("/api/v1/meetings").then()
                    .statusCode(400).body("errors[0].field", equalTo("reservationId"));
        } finally {
            Meetings.client().when().delete("/api/v1/reservations/" + reservation).then().statusCode(204);
        }
    }

    @Test
    void releasingTheReservationShouldLeaveTheMeetingItsParticipantsOnly() {
        String reservation = reserveTwo();
        String id = Meetings.create("{\"allowedRegions\": [\"LA\"], \"reservationId\": \"" + reservation + "\"}");
        try {
            Meetings.join(id, "a", SAO_PAULO).then().statusCode(201).body("usedReservedPlace", equalTo(true));
            Meetings.client().when().delete("/api/v1/reservations/" + reservation).then().statusCode(204);
            var gru = Meetings.dataCenter("la-gru");
            assertThat(gru.getInt("reserved")).isZero();
            assertThat(gru.getInt("live")).isEqualTo(1);
            // the leave now frees the place for everyone
            Meetings.leave(id, "a").then().statusCode(204);
            assertThat(Meetings.dataCenter("la-gru").getInt("headroom")).isEqualTo(3);
        } finally {
            Meetings.end(id);
        }
    }
}
