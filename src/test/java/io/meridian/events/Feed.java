package io.meridian.events;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** A controller of live meetings for the feed's tests: its own subject, its meetings, its feed. */
final class Feed {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Meetings the tests opened, to end after each test (their places would count for other tests). */
    private static final java.util.Queue<String[]> OPENED = new java.util.concurrent.ConcurrentLinkedQueue<>();

    final String subject;
    final String token;

    Feed(String subject) {
        this.subject = subject;
        this.token = Tokens.claims(Roles.MEETING_CLIENT).subject(subject).sign();
    }

    /** A controller of its own, seeing no other test's events. */
    static Feed fresh() {
        return new Feed("feed-" + UUID.randomUUID());
    }

    RequestSpecification as() {
        return given().auth().oauth2(token);
    }

    String create(String label) {
        String body = label == null ? "{}" : "{\"meetingId\": \"" + label + "\"}";
        String id = as().contentType(ContentType.JSON).body(body).post("/api/v1/meetings").then().statusCode(201)
                .extract().path("id");
        OPENED.add(new String[] {token, id});
        return id;
    }

    /** Ends every meeting the tests opened that is still live. */
    static void endAll() {
        String[] m;
        while ((m = OPENED.poll()) != null) {
            given().auth().oauth2(m[0]).delete("/api/v1/meetings/" + m[1]).andReturn();
        }
    }

    static final String SYDNEY = "{\"latitude\": -33.87, \"longitude\": 151.21}";

    /** A join from a country (its code) or a location (its JSON object). */
    int join(String meeting, String participant, String where) {
        String location = where.startsWith("{") ? where : "{\"country\": \"" + where + "\"}";
        return as().contentType(ContentType.JSON)
                .body("{\"id\": \"" + participant + "\", \"location\": " + location + "}")
                .post("/api/v1/meetings/" + meeting + "/participants").then().extract().statusCode();
    }

    void leave(String meeting, String participant) {
        as().delete("/api/v1/meetings/" + meeting + "/participants/" + participant).then().statusCode(204);
    }

    void end(String meeting) {
        as().delete("/api/v1/meetings/" + meeting).then().statusCode(204);
    }

    /** One JSON page with this query. */
    JsonPath page(String query) {
        return as().accept(ContentType.JSON).get("/api/v1/meeting-events" + (query.isEmpty() ? "" : "?" + query))
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    /** Every event of the caller after {@code after}, page by page. */
    List<java.util.Map<String, Object>> all(long after) {
        List<java.util.Map<String, Object>> events = new ArrayList<>();
        long next = after;
        while (true) {
            JsonPath p = page("after=" + next + "&limit=1000");
            List<java.util.Map<String, Object>> got = p.getList("events");
            events.addAll(got);
            next = p.getLong("next");
            if (got.size() < 1000) {
                return events;
            }
        }
    }

    /** An SSE connection's lines. */
    Stream stream(String query, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port
                        + "/api/v1/meeting-events" + (query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        return new Stream(r);
    }

    /** An open SSE stream, read message by message. */
    static final class Stream implements AutoCloseable {
        final HttpResponse<InputStream> response;
        private final BufferedReader lines;

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            this.lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        /** The next message (its lines, without the blank line ending it); comments are messages too. */
        List<String> next() throws IOException {
            List<String> message = new ArrayList<>();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!message.isEmpty()) {
                        return message;
                    }
                } else {
                    message.add(line);
                }
            }
            return message.isEmpty() ? null : message;
        }

        /** The next event (skipping comments): [id, event, data]; null at the end of the stream. */
        String[] nextEvent() throws IOException {
            List<String> m;
            while ((m = next()) != null) {
                String id = null;
                String type = null;
                String data = null;
                for (String l : m) {
                    if (l.startsWith("id:")) {
                        id = l.substring(3).trim();
                    } else if (l.startsWith("event:")) {
                        type = l.substring(6).trim();
                    } else if (l.startsWith("data:")) {
                        data = l.substring(5).trim();
                    }
                }
                if (id != null) {
                    return new String[] {id, type, data};
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            response.body().close();
        }
    }
}
