package io.meridian.events;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed's OpenAPI examples are real answers: the same meeting's life gives the same events (all
 * but their seq, time and meeting id), and a 410 has the example's members.
 */
@QuarkusTest
class EventExamplesTest {

    @AfterEach
    void endMeetings() {
        Feed.endAll();
    }

    @Test
    void thePageExampleIsWhatAMeetingsLifeAnswers() {
        Feed feed = Feed.fresh();
        String meeting = feed.create("weekly-sync-42");
        feed.join(meeting, "alice", "DE");
        feed.join(meeting, "bob", Feed.SYDNEY);
        feed.leave(meeting, "bob");
        feed.end(meeting);
        JsonPath real = feed.page("meeting=" + meeting);
        assertThat(comparable(real)).isEqualTo(comparable(JsonPath.from(EventExamples.PAGE)));
    }

    @Test
    void theExpiredExampleHasTheMembersOfA410() {
        Map<String, Object> example = JsonPath.from(EventExamples.PROBLEM_EXPIRED).getMap("");
        assertThat(example.get("type")).isEqualTo(io.meridian.web.ProblemType.EVENTS_EXPIRED.uri());
        assertThat(example.get("title")).isEqualTo(io.meridian.web.ProblemType.EVENTS_EXPIRED.title());
        assertThat(example.get("status")).isEqualTo(410);
        assertThat(example.keySet()).containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");
    }

    @Test
    void anyMediaTypeAnswersTheJsonPage() throws Exception {
        Feed feed = Feed.fresh();
        HttpResponse<String> r = Feed.HTTP.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":"
                        + RestAssured.port + "/api/v1/meeting-events")).header("Authorization", "Bearer " + feed.token)
                .header("Accept", "*/*").timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(feed.as().accept(ContentType.JSON).get("/api/v1/meeting-events").then().statusCode(200)
                .extract().jsonPath().getList("events")).isEmpty();
    }

    private static List<Map<String, Object>> comparable(JsonPath page) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (Map<String, Object> e : page.<Map<String, Object>>getList("events")) {
            Map<String, Object> copy = new HashMap<>(e);
            copy.remove("seq");
            copy.remove("at");
            copy.remove("meeting");
            events.add(copy);
        }
        return events;
    }
}
