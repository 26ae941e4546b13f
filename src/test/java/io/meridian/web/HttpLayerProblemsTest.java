package io.meridian.web;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP layer answers, with raw sockets: problem+json for requests the decoder refuses,
 * for bodies over the limit (chunked too) and for bodies and request heads that do not arrive in
 * time. Short timeouts, so that the trickling clients are cut off quickly.
 */
@QuarkusTest
@TestProfile(HttpLayerProblemsTest.ShortTimeouts.class)
class HttpLayerProblemsTest {

    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meridian.http.body-timeout", "2s", "meridian.http.head-timeout", "2s",
                    "quarkus.http.limits.max-body-size", "64K");
        }
    }

    @TestHTTPResource("/")
    URL server;

    @Inject
    HttpLayerProblems layer;

    /** The per-connection set-up is installed once the servers listen: wait for it. */
    @BeforeEach
    void waitUntilInstalled() throws InterruptedException {
        for (int i = 0; i < 200 && !layer.ready(); i++) {
            Thread.sleep(50);
        }
        assertThat(layer.ready()).as("problem answers installed on every HTTP server instance").isTrue();
    }

    private static final String PROBLEM = "content-type: application/problem+json";

    private void assertProblem(String answer, int status) {
        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(status);
        assertThat(answer.toLowerCase()).contains(PROBLEM);
        assertThat(RawHttp.body(answer)).contains("\"status\":" + status).contains("\"detail\":");
    }

    @Test
    void aTooLongRequestLineShouldAnswer414ProblemJson() throws IOException {
        String answer = RawHttp.exchange(server, "GET /api/v1/regions?" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertProblem(answer, 414);
    }

    @Test
    void tooLargeHeadersShouldAnswer431ProblemJson() throws IOException {
        String answer = RawHttp.exchange(server, "GET /api/v1/regions HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(30_000) + "\r\n\r\n");
        assertProblem(answer, 431);
    }

    @Test
    void malformedRequestsShouldAnswer400ProblemJson() throws IOException {
        for (String request : new String[]{
                "GARBAGE\r\n\r\n",
                "GET /api/v1/regions HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
                "GET /api/v1/regions HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n",
                "POST /api/v1/routing-plans HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"}) {
            assertProblem(RawHttp.exchange(server, request), 400);
        }
    }

    @Test
    void anUnknownHttpVersionShouldAnswer505() throws IOException {
        assertProblem(RawHttp.exchange(server, "GET /api/v1/regions HTTP/9.9\r\nHost: x\r\n\r\n"), 505);
    }

    @Test
    void uriTextThatIsNotAsciiOrNotUtf8OrAControlShouldAnswer400() throws IOException {
        String token = Tokens.token(Roles.OPS);
        for (String path : new String[]{"/api/v1/data-centers/eu-\u00c0\u00af", "/api/v1/data-centers/eu-fra%00",
                "/api/v1/data-centers/eu%C0%AFfra", "/api/v1/data-centers/eu-fra%ZZ",
                "/api/v1/accounts/acme%0d%0aX:%20y/region-policy"}) {
            String answer = RawHttp.exchange(server, "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + token + "\r\n\r\n");
            assertProblem(answer, 400);
            assertThat(RawHttp.body(answer)).as(path).contains("invalid-request");
        }
    }

    @Test
    void aChunkedBodyOverTheLimitShouldAnswer413WithTheEndpointsProblemTypeAndCloseAtTheBodyTimeout() throws IOException {
        String token = Tokens.token(Roles.MEETING_CLIENT);
        assertThat(chunked("/api/v1/routing-plans", token)).contains("/problems/too-many-participants");
        String ops = Tokens.token(Roles.OPS);
        assertThat(chunked("/api/v1/data-centers/eu-fra/load-reports", ops)).contains("/problems/payload-too-large");
    }

    private String chunked(String path, String token) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: "
                    + "Bearer " + token + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = " ".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 20; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                // the server answered and closed while we were still sending
            }
            long start = System.nanoTime();
            String answer = RawHttp.readAll(socket.getInputStream());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertProblem(answer, 413);
            // the client never ends its body: the server closes at the 2 s body timeout, not our 10 s
            assertThat(answer).as("closed by the server").doesNotContain("<still open>");
            assertThat(seconds).isLessThan(10);
            return answer;
        }
    }

    @Test
    void aLargeChunkedBodyWithinTheLimitShouldBeRead() throws IOException {
        StringBuilder body = new StringBuilder("{\"participants\": [");
        for (int i = 0; i < 800; i++) {
            body.append(i > 0 ? "," : "").append("{\"id\": \"p").append(i).append("\", \"location\": {\"country\": \"DE\"}}");
        }
        byte[] json = body.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/routing-plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + Tokens.token(Roles.MEETING_CLIENT) + "\r\nConnection: close\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int at = 0; at < json.length; at += 5000) {
                int n = Math.min(5000, json.length - at);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(json, at, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = RawHttp.readAll(socket.getInputStream());
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
        }
    }

    @Test
    void aTricklingBodyShouldBeCutOffWith408() throws IOException {
        String token = Tokens.token(Roles.MEETING_CLIENT);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(250);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/routing-plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = trickle(socket, out, 60_000);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertProblem(answer, 408);
            assertThat(seconds).as("cut off after the 2 s body timeout").isLessThan(30);
        }
    }

    @Test
    void aTricklingRequestHeadShouldBeCutOff() throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(250);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/regions HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = trickle(socket, out, 60_000);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(answer).as("closed without an answer: there is no request to answer").isEmpty();
            assertThat(seconds).as("cut off after the 2 s head timeout").isLessThan(30);
        }
    }

    /** Sends a space every 250 ms until the server closes the connection; what it answered. */
    private static String trickle(Socket socket, OutputStream out, long maxMillis) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder got = new StringBuilder();
        byte[] buffer = new byte[4096];
        long deadline = System.currentTimeMillis() + maxMillis;
        while (System.currentTimeMillis() < deadline) {
            try {
                out.write(' ');
                out.flush();
            } catch (IOException e) {
                // closed by the server; read what it said
            }
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return got.toString();
                }
                got.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                // nothing yet
            } catch (IOException e) {
                return got.toString();
            }
        }
        throw new AssertionError("the connection was still open after " + maxMillis + " ms: " + got);
    }
}
