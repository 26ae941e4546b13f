package io.meridian;

import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A light HTTP client for tests that send thousands of requests to packaged services: one JDK
 * client with kept-alive connections, where REST Assured opens a connection per request and spends
 * milliseconds of the test's CPU on each (on two cores that CPU is taken from the services under
 * test). For a handful of calls REST Assured's checks read better; this is for the loops.
 */
public final class ServiceClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String token;

    /** Every request carries this bearer token. */
    public ServiceClient(String token) {
        this.token = token;
    }

    /** An answer: status, body, and its headers. */
    public record Answer(int status, String body, java.net.http.HttpHeaders headers) {

        public JsonPath json() {
            return JsonPath.from(body);
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** The answer, if its status is {@code expected}; otherwise an error naming what came. */
        public Answer expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected " + expected + ", got " + status + ": " + body);
            }
            return this;
        }
    }

    public Answer get(String url) {
        return send(request(url).GET());
    }

    public Answer post(String url, String json) {
        return send(request(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer put(String url) {
        return send(request(url).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    public Answer delete(String url) {
        return send(request(url).DELETE());
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
