package io.meridian.events;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON page of the feed: what joins, leaves and ends emit, in order, to whom; bad input. */
@QuarkusTest
class MeetingEventFeedTest {

    @AfterEach
    void endMeetings() {
        Feed.endAll();
    }

    @Test
    void aMeetingsChangesAreEventsInTheirOrder() {
        Feed feed = Feed.fresh();
        String meeting = feed.create("weekly-sync-42");
        assertThat(feed.join(meeting, "alice", "DE")).isEqualTo(201);
        assertThat(feed.join(meeting, "alice", "DE")).as("an idempotent re-join").isEqualTo(200);
        assertThat(feed.join(meeting, "bob", Feed.SYDNEY)).isEqualTo(201);
        feed.leave(meeting, "bob");
        feed.end(meeting);

        JsonPath page = feed.page("meeting=" + meeting);
        List<Map<String, Object>> events = page.getList("events");
        assertThat(events).extracting(e -> e.get("type")).containsExactly("PARTICIPANT_JOINED", "PARTICIPANT_JOINED",
                "CASCADE_CHANGED", "PARTICIPANT_LEFT", "CASCADE_CHANGED", "MEETING_ENDED");
        List<Long> seqs = page.getList("events.seq", Long.class);
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(page.getLong("next")).isGreaterThanOrEqualTo(seqs.get(seqs.size() - 1));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("meeting")).isEqualTo(meeting);
            assertThat(e.get("meetingId")).isEqualTo("weekly-sync-42");
            assertThat(e.get("at").toString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        });
        Map<String, Object> alice = events.get(0);
        assertThat(alice).containsEntry("participantId", "alice").containsEntry("dataCenter", "eu-fra")
                .containsEntry("region", "EU").containsEntry("openedDataCenter", true);
        assertThat(events.get(1)).containsEntry("participantId", "bob").containsEntry("openedDataCenter", true);
        assertThat(page.getList("events[2].cascadeLinks.from")).hasSize(1);
        assertThat(page.getMap("events[2].cascadeLinks[0]")).containsKeys("from", "to", "estimatedRttMs");
        assertThat(events.get(3)).containsEntry("participantId", "bob").containsKey("dataCenter");
        assertThat(page.getList("events[4].cascadeLinks")).isEmpty();
        assertThat(events.get(5)).containsEntry("reason", "ENDED").doesNotContainKey("participantId");
        // the label narrows the same way, and a page of one goes on from its next
        assertThat(feed.page("meetingId=weekly-sync-42").getList("events")).hasSize(6);
        JsonPath one = feed.page("meeting=" + meeting + "&limit=1");
        assertThat(one.getList("events")).hasSize(1);
        assertThat(feed.page("meeting=" + meeting + "&after=" + one.getLong("next")).getList("events")).hasSize(5);
    }

    @Test
    void aMeetingWithoutLabelHasANullMeetingId() {
        Feed feed = Feed.fresh();
        String meeting = feed.create(null);
        feed.join(meeting, "ana", "ES");
        String body = feed.as().accept(ContentType.JSON).get("/api/v1/meeting-events").then().statusCode(200)
                .extract().asString();
        assertThat(body).contains("\"meetingId\":null").contains("\"meeting\":\"" + meeting + "\"");
    }

    @Test
    void aControllerSeesOnlyTheEventsOfItsOwnMeetings() {
        Feed mine = Feed.fresh();
        Feed other = Feed.fresh();
        String meeting = mine.create("private-1");
        mine.join(meeting, "alice", "DE");
        assertThat(other.page("").getList("events")).isEmpty();
        assertThat(other.page("meetingId=private-1").getList("events")).isEmpty();
        other.as().accept(ContentType.JSON).get("/api/v1/meeting-events?meeting=" + meeting).then().statusCode(404)
                .contentType("application/problem+json");
        // a meeting nobody joined yet, and one that ended, are still only their owner's
        String quiet = mine.create("quiet");
        other.as().accept(ContentType.JSON).get("/api/v1/meeting-events?meeting=" + quiet).then().statusCode(404);
        assertThat(mine.page("meeting=" + quiet).getList("events")).isEmpty();
        mine.end(meeting);
        other.as().accept(ContentType.JSON).get("/api/v1/meeting-events?meeting=" + meeting).then().statusCode(404);
        assertThat(mine.page("meeting=" + meeting).getList("events")).hasSize(2);
    }

    @Test
    void badPositionsAndBoundsAre400() {
        Feed feed = Feed.fresh();
        for (String query : List.of("after=-1", "after=abc", "after=1e3", "after=%201", "after=", "limit=", "after=1&after=2", "meeting=", "after=0x10",
                "after=99999999999999999999", "limit=0", "limit=1001", "limit=x", "waitSeconds=31", "waitSeconds=-1",
                "meetingId=bad%00id", "meetingId=" + "x".repeat(129), "after=999999999999999")) {
            int status = feed.as().accept(ContentType.JSON).urlEncodingEnabled(false)
                    .get("/api/v1/meeting-events?" + query).then().extract().statusCode();
            assertThat(status).as(query).isEqualTo(400);
        }
        for (String id : List.of("x", "-1", "1.5", "999999999999999")) {
            feed.as().accept(ContentType.JSON).header("Last-Event-ID", id).get("/api/v1/meeting-events")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        feed.as().accept(ContentType.JSON).get("/api/v1/meeting-events?meeting=not-a-ulid").then().statusCode(404);
        feed.as().accept(ContentType.JSON).get("/api/v1/meeting-events?meeting=01JDN0SVCHMEET1NG000000000")
                .then().statusCode(404);
        io.meridian.security.Tokens.as(io.meridian.security.Roles.OPS).accept(ContentType.JSON)
                .get("/api/v1/meeting-events").then().statusCode(403);
        io.restassured.RestAssured.given().accept(ContentType.JSON).get("/api/v1/meeting-events").then().statusCode(401);
    }

    @Test
    void aLongPollAnswersAsSoonAsAnEventArrives() throws Exception {
        Feed feed = Feed.fresh();
        String meeting = feed.create("waiting");
        long next = feed.page("").getLong("next");
        long start = System.nanoTime();
        var answer = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> feed.page("waitSeconds=25&after=" + next));
        Thread.sleep(1000);
        assertThat(answer).as("nothing happened yet").isNotDone();
        feed.join(meeting, "late", "DE");
        JsonPath page = answer.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(page.getList("events.participantId")).containsExactly("late");
        assertThat(System.nanoTime() - start).as("well before the 25 s wait ran out")
                .isLessThan(java.time.Duration.ofSeconds(20).toNanos());
        // nothing new: the wait runs out and the page is empty
        JsonPath empty = feed.page("waitSeconds=1&after=" + page.getLong("next"));
        assertThat(empty.getList("events")).isEmpty();
    }
}
