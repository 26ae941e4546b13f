package io.meridian.integration.jicofo;

import org.json.simple.JSONObject;
import org.json.simple.JSONValue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Jicofo's ExternalBridgeSelectionStrategy (jitsi/jicofo pull request 889, commit bc8ab65) does,
 * rebuilt for tests: the body made with json-simple 1.1.1 from the same maps, sent with a
 * {@link HttpClient} of default settings (so HTTP/1.1 with {@code Upgrade: h2c} on http URLs), only
 * {@code Content-Type: application/json} set, and the answer read as that client reads it.
 */
final class JicofoClient {

    /** One bridge as Jicofo's {@code Bridge} describes it. */
    record Bridge(String jid, String version, boolean colibri2, String relayId, String region, double stress,
                  boolean operational, boolean gracefulShutdown, boolean draining) {

        static Bridge of(String name, String region, double stress) {
            return new Bridge("jvbbrewery@internal.auth.meet.example/" + name, "2.3.105-gcafe", true, null, region,
                    stress, true, false, false);
        }

        Bridge withStress(double s) {
            return new Bridge(jid, version, colibri2, relayId, region, s, operational, gracefulShutdown, draining);
        }

        Bridge withState(boolean isOperational, boolean isShuttingDown, boolean isDraining) {
            return new Bridge(jid, version, colibri2, relayId, region, stress, isOperational, isShuttingDown, isDraining);
        }
    }

    /** The answer as that client sees it. */
    record Answer(int status, String body, Optional<Integer> selectedIndex) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The body exactly as the client builds it: a JSONObject of Kotlin-style maps. */
    @SuppressWarnings("unchecked")
    static String body(List<Bridge> bridges, Map<String, Integer> conferenceBridges, String participantRegion,
                       String fallbackStrategy) {
        JSONObject request = new JSONObject();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Bridge b : bridges) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jid", b.jid());
            m.put("version", b.version());
            m.put("colibri2", b.colibri2());
            m.put("relay_id", b.relayId());
            m.put("region", b.region());
            m.put("stress", b.stress());
            m.put("operational", b.operational());
            m.put("graceful_shutdown", b.gracefulShutdown());
            m.put("draining", b.draining());
            list.add(m);
        }
        request.put("bridges", list);
        request.put("conference_bridges", conferenceBridges);
        request.put("participant_region", participantRegion);
        request.put("fallback_strategy", fallbackStrategy);
        return request.toJSONString();
    }

    Answer send(URI url, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder()
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .uri(url)
                .headers("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), read(response));
    }

    Answer select(URI url, List<Bridge> bridges, Map<String, Integer> conferenceBridges, String participantRegion)
            throws IOException, InterruptedException {
        return send(url, body(bridges, conferenceBridges, participantRegion, null));
    }

    /** The client's reading: 2xx, a JSON object, a number under selected_bridge_index; else its fallback. */
    private static Optional<Integer> read(HttpResponse<String> response) {
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            return Optional.empty();
        }
        try {
            JSONObject body = (JSONObject) JSONValue.parseWithException(response.body());
            Object index = body.get("selected_bridge_index");
            return index instanceof Number n ? Optional.of(n.intValue()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
