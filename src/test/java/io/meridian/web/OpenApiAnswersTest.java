package io.meridian.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real answers of the running service, good and bad, to every operation, checked against the
 * generated OpenAPI document (/q/openapi): each status must be documented for its operation, and
 * each body must match the schema documented for that status and media type. A change of the
 * service that the document does not follow fails here.
 */
@QuarkusTest
class OpenApiAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "openapi-check";
    private static final String PLAN = "{\"meetingId\": \"m-1\", \"accountId\": \"" + ACCOUNT + "\", \"participants\": "
            + "[{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}, {\"id\": \"b\", \"location\": {\"latitude\": 37.7, "
            + "\"longitude\": -122.4}}], \"strategy\": \"CASCADE\"}";

    /** One request: method, path (no query), query, role (null: no token), body, extra header. */
    record Call(String method, String path, String query, String role, String body, String header, String value) {
        static Call of(String method, String path, String role) {
            return new Call(method, path, "", role, null, null, null);
        }

        Call body(String json) {
            return new Call(method, path, query, role, json, header, value);
        }

        Call query(String q) {
            return new Call(method, path, q, role, body, header, value);
        }

        Call with(String name, String v) {
            return new Call(method, path, query, role, body, name, v);
        }
    }

    private final List<String> failures = new ArrayList<>();
    private final TreeSet<String> exercised = new TreeSet<>();

    @Test
    void everyAnswerShouldBeDescribedByTheDocument() throws Exception {
        JsonNode document = JSON.readTree(given().accept("application/json").get("/q/openapi?format=json").asString());
        // the validator itself: a problem without its required members must not pass
        assertThat(validator(document, JSON.readTree("{\"$ref\": \"#/components/schemas/Problem\"}"))
                .validate("{\"detail\": 1}", InputFormat.JSON)).isNotEmpty();
        String client = Roles.MEETING_CLIENT;
        String admin = Roles.REGION_ADMIN;
        String ops = Roles.OPS;
        String policy = "/api/v1/accounts/" + ACCOUNT + "/region-policy";
        List<Call> calls = new ArrayList<>(List.of(
                Call.of("GET", "/api/v1/regions", client),
                Call.of("GET", "/api/v1/regions", null),
                Call.of("GET", "/api/v1/regions", client).with("Accept", "text/html"),
                Call.of("GET", "/api/v1/data-centers", ops),
                Call.of("GET", "/api/v1/data-centers/eu-fra", admin),
                Call.of("GET", "/api/v1/data-centers/xx-nope", client),
                Call.of("GET", "/api/v1/data-centers/eu-fra%00", client),
                Call.of("PUT", "/api/v1/data-centers/eu-fra/status", ops).body("{\"status\": \"ACTIVE\", \"reason\": \"check\"}"),
                Call.of("PUT", "/api/v1/data-centers/eu-fra/status", ops).body("{\"status\": \"GONE\"}"),
                Call.of("PUT", "/api/v1/data-centers/eu-fra/status", ops).body("{\"status\": \"ACTIVE\", \"extra\": 1}"),
                Call.of("PUT", "/api/v1/data-centers/eu-fra/status", client).body("{\"status\": \"ACTIVE\"}"),
                Call.of("PUT", "/api/v1/data-centers/nope/status", ops).body("{\"status\": \"ACTIVE\"}"),
                Call.of("PUT", "/api/v1/data-centers/eu-fra/status", ops).body("{\"status\": \"ACTIVE\"}")
                        .with("Content-Type", "text/plain"),
                Call.of("POST", "/api/v1/data-centers/eu-fra/load-reports", ops).body("{\"activeParticipants\": 0}"),
                Call.of("POST", "/api/v1/data-centers/eu-fra/load-reports", ops)
                        .body("{\"activeParticipants\": 0, \"reportedAt\": null}"),
                Call.of("POST", "/api/v1/data-centers/eu-fra/load-reports", ops)
                        .body("{\"activeParticipants\": 0, \"reportedAt\": 12}"),
                Call.of("POST", "/api/v1/routing-plans", client).body(PLAN),
                Call.of("POST", "/api/v1/routing-plans", client).body(PLAN.replace("\"CASCADE\"", "null")),
                Call.of("POST", "/api/v1/routing-plans", client).body("{\"participants\": []}"),
                Call.of("POST", "/api/v1/routing-plans", client).body("{\"participants\": [{\"id\": \"a\", \"location\": "
                        + "{\"country\": \"DE\"}}], \"allowedRegions\": [\"EU\"], \"blockedRegions\": [\"EU\"]}"),
                Call.of("POST", "/api/v1/routing-plans", client).body("{"),
                Call.of("POST", "/api/v1/routing-plans", client).body(PLAN).with("Accept", "application/xml"),
                Call.of("POST", "/api/v1/routing-plans", client).body(PLAN).with("Content-Type", "application/xml"),
                Call.of("POST", "/api/v1/routing-plans", ops).body(PLAN),
                Call.of("PUT", policy, admin).body("{\"blockedRegions\": [\"CN\"], \"allowedRegions\": null, "
                        + "\"homeRegion\": null}"),
                Call.of("GET", policy, admin),
                Call.of("PUT", policy, admin).body("{\"blockedRegions\": [\"CN\"]}"),
                Call.of("PUT", policy, admin).body("{\"blockedRegions\": [\"CN\"]}").with("If-Match", "\"999\""),
                Call.of("PUT", policy, admin).body("{\"blockedRegions\": [\"XX\"]}"),
                Call.of("GET", policy + "/history", admin),
                Call.of("POST", policy + "/what-if", admin).body("{\"blockedRegions\": [\"CN\"]}"),
                Call.of("POST", policy + "/what-if", admin).body("{\"blockedRegions\": [\"XX\"]}"),
                Call.of("GET", "/api/v1/accounts/other/region-policy", admin),
                Call.of("GET", "/api/v1/accounts/bad%20id/region-policy", admin),
                Call.of("DELETE", policy, admin),
                Call.of("DELETE", policy, admin).with("If-Match", "*"),
                Call.of("DELETE", policy, admin).with("If-Match", "*"),
                Call.of("GET", "/api/v1/accounts/" + ACCOUNT + "/traffic-report", ops)
                        .query("from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"),
                Call.of("GET", "/api/v1/accounts/" + ACCOUNT + "/traffic-report", admin).query("from=1&to=2"),
                Call.of("GET", "/api/v1/accounts/" + ACCOUNT + "/meetings/m-1/routing-history", ops).query("limit=1"),
                Call.of("GET", "/api/v1/accounts/" + ACCOUNT + "/meetings/m-1/routing-history", ops)
                        .query("before=8ZZZZZZZZZZZZZZZZZZZZZZZZZ"),
                Call.of("PUT", "/api/v1/reservations/01JDN0SVCHRESERVAT10N00000/lease", client),
                Call.of("PUT", "/api/v1/reservations/not-a-ulid/lease", client),
                Call.of("DELETE", "/api/v1/reservations/01JDN0SVCHRESERVAT10N00000", client),
                Call.of("POST", "/api/v1/simulations", ops).body("{\"scenario\": null, \"workload\": {\"meetings\": 3, "
                        + "\"participantsPerMeeting\": {\"min\": 1, \"max\": 3}, \"countries\": {\"US\": 1}}}"),
                Call.of("POST", "/api/v1/simulations", ops).body("{\"workload\": {\"meetings\": 1000000, "
                        + "\"participantsPerMeeting\": {\"min\": 1, \"max\": 3}, \"countries\": {\"US\": 1}}}"),
                Call.of("POST", "/api/v1/simulations", ops).body("{\"workload\": {\"meetings\": 1, "
                        + "\"participantsPerMeeting\": {\"min\": 1, \"max\": 3}, \"countries\": {\"ZZ\": 1}}}"),
                Call.of("POST", "/api/v1/simulations", ops).body("{\"workload\": {}}").with("Content-Type", "application/octet-stream")));
        // a reservation to renew and release
        String reservation = Tokens.asClient().contentType("application/json")
                .body(PLAN.replace("\"CASCADE\"", "\"SINGLE\", \"reserve\": true")).post("/api/v1/routing-plans")
                .then().statusCode(200).extract().path("reservation.id");
        calls.add(Call.of("PUT", "/api/v1/reservations/" + reservation + "/lease", client));
        calls.add(Call.of("DELETE", "/api/v1/reservations/" + reservation, client));
        // Jicofo: a key to use, list and revoke; selections good and bad
        String keys = "/api/v1/accounts/" + ACCOUNT + "/integrations/jicofo";
        io.restassured.path.json.JsonPath created = Tokens.as(admin, ACCOUNT).post(keys).then().statusCode(201)
                .extract().jsonPath();
        String selection = created.getString("url").replaceFirst("^https?://[^/]+", "");
        String bridges = "{\"bridges\": [{\"jid\": \"jvb@internal/jvb-fra-1\", \"version\": null, \"colibri2\": true, "
                + "\"relay_id\": null, \"region\": \"eu-fra\", \"stress\": 0.1, \"operational\": true, "
                + "\"graceful_shutdown\": false, \"draining\": false}], \"conference_bridges\": {}, "
                + "\"participant_region\": null, \"fallback_strategy\": null}";
        calls.addAll(List.of(
                Call.of("GET", keys, admin),
                Call.of("GET", keys, client),
                Call.of("POST", keys, client),
                Call.of("POST", selection, null).body(bridges),
                Call.of("POST", selection, null).body(bridges.replace("0.1", "0.95")),
                Call.of("POST", selection, null).body("{\"bridges\": []}"),
                Call.of("POST", selection, null).body(bridges).with("Content-Type", "text/plain"),
                Call.of("POST", "/api/v1/integrations/jicofo/" + "A".repeat(43) + "/bridge-selection", null).body(bridges),
                Call.of("DELETE", keys + "/" + created.getString("id"), admin),
                Call.of("DELETE", keys + "/" + created.getString("id"), admin),
                Call.of("POST", selection, null).body(bridges)));
        // the transparency log: heads and proofs, good and bad
        String planId = Tokens.asClient().contentType("application/json").body(PLAN).post("/api/v1/routing-plans")
                .then().statusCode(200).extract().path("planId");
        calls.addAll(List.of(
                Call.of("GET", "/api/v1/transparency/tree-head", null),
                Call.of("GET", "/api/v1/transparency/tree-head", null).query("size=-1"),
                Call.of("GET", "/api/v1/transparency/tree-head", null).query("size=999999999"),
                Call.of("GET", "/api/v1/transparency/proofs/inclusion", admin).query("planId=" + planId),
                Call.of("GET", "/api/v1/transparency/proofs/inclusion", admin).query("planId=nope"),
                Call.of("GET", "/api/v1/transparency/proofs/inclusion", null).query("planId=" + planId),
                Call.of("GET", "/api/v1/transparency/proofs/inclusion", ops).query("leafIndex=0"),
                Call.of("GET", "/api/v1/transparency/proofs/consistency", null).query("first=1&second=1"),
                Call.of("GET", "/api/v1/transparency/proofs/consistency", null).query("first=2&second=1"),
                Call.of("GET", "/api/v1/transparency/keys", null),
                Call.of("GET", "/api/v1/transparency/accounts/" + ACCOUNT + "/hash-key", admin).query("meetingId=m-1"),
                Call.of("GET", "/api/v1/transparency/accounts/other/hash-key", admin)));
        // live meetings: a meeting to join, leave, renew and end; answers good and bad
        String meeting = Tokens.asClient().contentType("application/json").body("{\"meetingId\": \"api-check\"}")
                .post("/api/v1/meetings").then().statusCode(201).extract().path("id");
        String meetings = "/api/v1/meetings/" + meeting;
        String alice = "{\"id\": \"alice\", \"location\": {\"country\": \"DE\"}}";
        calls.addAll(List.of(
                Call.of("POST", "/api/v1/meetings", client).body("{\"blockedRegions\": [\"CN\"]}"),
                Call.of("POST", "/api/v1/meetings", client).body("{\"allowedRegions\": []}"),
                Call.of("POST", "/api/v1/meetings", client).body("{\"reservationId\": \"nope\"}"),
                Call.of("POST", "/api/v1/meetings", client).body("{}").with("Content-Type", "text/plain"),
                Call.of("POST", "/api/v1/meetings", ops).body("{}"),
                Call.of("POST", meetings + "/participants", client).body(alice),
                Call.of("POST", meetings + "/participants", client).body(alice),
                Call.of("POST", meetings + "/participants", client).body("{\"id\": \"bob\", \"location\": "
                        + "{\"country\": \"ZZ\"}}"),
                Call.of("POST", "/api/v1/meetings/01JDN0SVCHMEET1NG000000000/participants", client).body(alice),
                Call.of("GET", meetings, client),
                Call.of("GET", "/api/v1/meetings/not-a-ulid", client),
                Call.of("PUT", meetings + "/lease", client),
                Call.of("DELETE", meetings + "/participants/alice", client),
                Call.of("DELETE", meetings + "/participants/alice", client),
                Call.of("DELETE", meetings, client),
                Call.of("DELETE", meetings, client),
                Call.of("PUT", meetings + "/lease", client)));
        // the meeting event feed: pages good and bad (the SSE stream is checked in MeetingEventStreamTest)
        String events = "/api/v1/meeting-events";
        calls.addAll(List.of(
                Call.of("GET", events, client).with("Accept", "application/json"),
                Call.of("GET", events, client).query("meeting=" + meeting + "&limit=2").with("Accept", "application/json"),
                Call.of("GET", events, client).query("meetingId=api-check&waitSeconds=1")
                        .with("Accept", "application/json"),
                Call.of("GET", events, client).query("after=abc").with("Accept", "application/json"),
                Call.of("GET", events, client).query("limit=1001").with("Accept", "application/json"),
                Call.of("GET", events, client).query("after=1").with("Accept", "application/json"),
                Call.of("GET", events, client).query("meeting=01JDN0SVCHMEET1NG000000000")
                        .with("Accept", "application/json"),
                Call.of("GET", events, client).with("Last-Event-ID", "x"),
                Call.of("GET", events, ops).with("Accept", "application/json"),
                Call.of("GET", events, null).with("Accept", "application/json")));

        for (Call call : calls) {
            check(document, call);
        }
        List<String> operations = new ArrayList<>();
        document.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> operations.add(m.toUpperCase() + " " + p.getKey())));
        assertThat(exercised).as("every operation of the document is exercised").containsAll(operations);
        assertThat(failures).as("answers the document does not describe").isEmpty();
    }

    private void check(JsonNode document, Call call) throws Exception {
        RequestSpecification request = call.role() == null ? given() : Tokens.as(call.role(), ACCOUNT);
        request = request.urlEncodingEnabled(false);
        if (call.body() != null) {
            request = request.body(call.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!"Content-Type".equals(call.header())) {
                request = request.contentType("application/json");
            }
        }
        if (call.header() != null) {
            request = request.header(call.header(), call.value());
        }
        String url = call.path() + (call.query().isEmpty() ? "" : "?" + call.query());
        Response response = request.request(call.method(), url);
        int status = response.statusCode();
        String label = call.method() + " " + url + " -> " + status;
        Map.Entry<String, JsonNode> operation = operation(document, call.method(), call.path());
        if (operation == null) {
            failures.add(label + ": no operation in the document");
            return;
        }
        exercised.add(call.method() + " " + operation.getKey());
        JsonNode answer = resolve(document, operation.getValue().path("responses").path(String.valueOf(status)));
        if (answer.isMissingNode()) {
            failures.add(label + ": status not documented");
            return;
        }
        String body = response.asString();
        if (body.isEmpty()) {
            return;
        }
        String type = response.contentType() == null ? "" : response.contentType().split(";")[0].trim();
        JsonNode media = answer.path("content").path(type);
        if (media.isMissingNode()) {
            failures.add(label + ": media type " + type + " not documented (documented: " + answer.path("content")
                    .fieldNames().next() + ")");
            return;
        }
        JsonNode schema = media.path("schema");
        if (schema.isMissingNode()) {
            return;
        }
        List<Error> errors = validator(document, schema).validate(body, InputFormat.JSON);
        if (!errors.isEmpty()) {
            failures.add(label + ": body does not match its schema: " + errors.stream().limit(5).map(Error::toString)
                    .toList() + " body " + body.substring(0, Math.min(300, body.length())));
        }
    }

    /** The operation whose path template matches the path. */
    private static Map.Entry<String, JsonNode> operation(JsonNode document, String method, String path) {
        Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            String regex = Pattern.quote(p.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex) && p.getValue().has(method.toLowerCase())) {
                return Map.entry(p.getKey(), p.getValue().get(method.toLowerCase()));
            }
        }
        return null;
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        if (node.has("$ref")) {
            return document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    /** A JSON Schema 2020-12 of the response schema with the document's components as its $defs. */
    private static Schema validator(JsonNode document, JsonNode schema) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.setAll((ObjectNode) schema.deepCopy());
        root.set("$defs", document.path("components").path("schemas"));
        String text = JSON.writeValueAsString(root).replace("#/components/schemas/", "#/$defs/");
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text, InputFormat.JSON);
    }
}
