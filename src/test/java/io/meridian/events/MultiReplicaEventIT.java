package io.meridian.events;

import io.meridian.PackagedService;
import io.meridian.security.Roles;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged replicas on one PostgreSQL: joins, leaves and ends through both at once, while an SSE
 * client of each replica follows the feed live. Both streams and both replicas' JSON pages hold the
 * same events in the same order, numbered without a gap.
 */
class MultiReplicaEventIT {

    private static final int MEETINGS = 20;
    private static final int PEOPLE = 10;

    @Test
    void bothReplicasServeTheSameSequenceLive() throws Exception {
        PackagedService.requirePostgresql();
        PackagedService.Issuer issuer = new PackagedService.Issuer();
        String subject = "it-feed-" + System.nanoTime();
        String token = issuer.token(subject, Roles.MEETING_CLIENT);
        try (PackagedService a = PackagedService.start(PackagedService.freePort(), issuer);
             PackagedService b = PackagedService.start(PackagedService.freePort(), issuer)) {
            List<PackagedService> replicas = List.of(a, b);
            HttpClient http = HttpClient.newHttpClient();
            // followers from the start: from the oldest kept, only this caller's events
            List<CompletableFuture<List<String>>> followers = new ArrayList<>();
            List<InputStream> bodies = new ArrayList<>();
            int expected = MEETINGS * PEOPLE + MEETINGS * (PEOPLE / 2) + MEETINGS;
            for (PackagedService r : replicas) {
                HttpResponse<InputStream> s = http.send(HttpRequest.newBuilder(URI.create(r.url("/api/v1/meeting-events")))
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(s.statusCode()).isEqualTo(200);
                bodies.add(s.body());
                followers.add(CompletableFuture.supplyAsync(() -> follow(s.body(), expected)));
            }
            List<String> meetings = new ArrayList<>();
            for (int m = 0; m < MEETINGS; m++) {
                meetings.add(RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body("{\"meetingId\": \"it-feed-" + m + "\"}").post(replicas.get(m % 2).url("/api/v1/meetings"))
                        .then().statusCode(201).extract().<String>path("id"));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> done = new ArrayList<>();
            for (int m = 0; m < MEETINGS; m++) {
                String meeting = meetings.get(m);
                int mm = m;
                done.add(pool.submit(() -> {
                    // everyone in the same city: one data center, no cascade changes, so the count is exact
                    for (int p = 0; p < PEOPLE; p++) {
                        RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                                .body("{\"id\": \"p" + p + "\", \"location\": {\"country\": \"DE\"}}")
                                .post(replicas.get((mm + p) % 2).url("/api/v1/meetings/" + meeting + "/participants"))
                                .then().statusCode(201);
                    }
                    for (int p = 0; p < PEOPLE / 2; p++) {
                        RestAssured.given().auth().oauth2(token)
                                .delete(replicas.get((mm + p + 1) % 2).url("/api/v1/meetings/" + meeting
                                        + "/participants/p" + p)).then().statusCode(204);
                    }
                    RestAssured.given().auth().oauth2(token).delete(replicas.get(mm % 2).url("/api/v1/meetings/" + meeting))
                            .then().statusCode(204);
                    return mm;
                }));
            }
            for (Future<Integer> f : done) {
                f.get(300, TimeUnit.SECONDS);
            }
            pool.shutdown();
            List<String> pageA = pages(a, token);
            List<String> pageB = pages(b, token);
            assertThat(pageA).hasSize(expected).isEqualTo(pageB);
            List<Long> seqs = pageA.stream().map(e -> JsonPath.from(e).getLong("seq")).toList();
            for (int i = 1; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).as("no gap: only this caller wrote events").isEqualTo(seqs.get(i - 1) + 1);
            }
            assertThat(followers.get(0).get(120, TimeUnit.SECONDS)).as("replica a's stream").isEqualTo(pageA);
            assertThat(followers.get(1).get(120, TimeUnit.SECONDS)).as("replica b's stream").isEqualTo(pageA);
            for (InputStream body : bodies) {
                body.close();
            }
        }
    }

    /** The data lines of the first {@code n} events of a stream, as JSON text. */
    private static List<String> follow(InputStream body, int n) {
        List<String> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while (events.size() < n && (line = lines.readLine()) != null) {
                if (line.startsWith("data:")) {
                    events.add(line.substring(5).trim());
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    /** Every event of the caller, page by page, as the JSON text of each. */
    private static List<String> pages(PackagedService r, String token) throws Exception {
        List<String> events = new ArrayList<>();
        long after = 0;
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        while (true) {
            String body = RestAssured.given().auth().oauth2(token).accept(ContentType.JSON)
                    .get(r.url("/api/v1/meeting-events?limit=100&after=" + after)).then().statusCode(200)
                    .extract().asString();
            com.fasterxml.jackson.databind.JsonNode page = json.readTree(body);
            for (com.fasterxml.jackson.databind.JsonNode e : page.get("events")) {
                events.add(json.writeValueAsString(e));
            }
            after = page.get("next").asLong();
            if (page.get("events").size() < 100) {
                return events;
            }
        }
    }
}
