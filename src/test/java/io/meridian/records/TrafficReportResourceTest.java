package io.meridian.records;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Routing records end to end: plans in, reports and history out. Each test uses an account of its own. */
@QuarkusTest
class TrafficReportResourceTest {

    @Inject
    RecordStore store;

    @Inject
    RoutingRecords records;

    static String account() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String plan(String account, String meeting, String strategy, String... countries) {
        StringBuilder sb = new StringBuilder("{");
        if (account != null) {
            sb.append("\"accountId\": \"").append(account).append("\", ");
        }
        if (meeting != null) {
            sb.append("\"meetingId\": \"").append(meeting).append("\", ");
        }
        sb.append("\"strategy\": \"").append(strategy).append("\", \"blockedRegions\": [\"CN\"], \"participants\": [");
        for (int i = 0; i < countries.length; i++) {
            sb.append(i > 0 ? "," : "").append("{\"id\": \"p").append(i).append("\", \"location\": {\"country\": \"")
                    .append(countries[i]).append("\"}}");
        }
        return sb.append("]}").toString();
    }

    static JsonPath routed(String body) {
        return Tokens.asClient().contentType(ContentType.JSON).body(body).when().post("/api/v1/routing-plans")
                .then().statusCode(200).extract().jsonPath();
    }

    static String window() {
        Instant now = Instant.now();
        return "?from=" + now.minus(1, ChronoUnit.HOURS) + "&to=" + now.plus(1, ChronoUnit.HOURS);
    }

    static JsonPath report(String account) {
        return Tokens.as(Roles.OPS).when().get("/api/v1/accounts/" + account + "/traffic-report" + window())
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void reportsAddUpExactlyToThePlansMadeAndIgnoreErrors() {
        String account = account();
        Map<String, Integer> participantsByRegion = new HashMap<>();
        Map<String, Set<String>> meetingsByRegion = new HashMap<>();
        int participants = 0;
        String[][] meetings = {{"DE", "US", "SG"}, {"DE", "DE"}, {"IN", "JP", "BR", "AU"}, {"US"}, {"FR", "GB", "SG"}};
        for (int i = 0; i < meetings.length; i++) {
            // meeting m-0 is planned twice: two plans, one meeting
            String meeting = "m-" + Math.min(i, 3);
            JsonPath plan = routed(plan(account, meeting, i % 2 == 0 ? "CASCADE" : "AUTO", meetings[i]));
            participants += meetings[i].length;
            for (Map<String, Object> dc : plan.<Map<String, Object>>getList("dataCenters")) {
                String region = (String) dc.get("region");
                participantsByRegion.merge(region, (Integer) dc.get("participants"), Integer::sum);
                meetingsByRegion.computeIfAbsent(region, r -> new HashSet<>()).add(meeting);
            }
        }
        // a plan without a meeting id is a meeting of its own
        JsonPath anonymous = routed(plan(account, null, "SINGLE", "CA", "CA"));
        participants += 2;
        String anonymousRegion = anonymous.getString("dataCenters[0].region");
        participantsByRegion.merge(anonymousRegion, 2, Integer::sum);
        meetingsByRegion.computeIfAbsent(anonymousRegion, r -> new HashSet<>()).add("anonymous");

        // errors are not recorded: 400 and 422
        Tokens.asClient().contentType(ContentType.JSON).body(plan(account, "m-err", "AUTO", "XX"))
                .when().post("/api/v1/routing-plans").then().statusCode(400);
        Tokens.asClient().contentType(ContentType.JSON)
                .body(plan(account, "m-err", "AUTO", "DE").replace("\"blockedRegions\": [\"CN\"]",
                        "\"allowedRegions\": [\"CN\"], \"blockedRegions\": [\"CN\"]"))
                .when().post("/api/v1/routing-plans").then().statusCode(422);
        // other accounts do not count
        routed(plan(account() , "m-0", "AUTO", "DE"));
        routed(plan(null, "m-0", "AUTO", "DE"));

        JsonPath report = report(account);
        assertThat(report.getString("accountId")).isEqualTo(account);
        assertThat(report.getLong("plans")).isEqualTo(meetings.length + 1);
        assertThat(report.getLong("participants")).isEqualTo(participants);
        assertThat(report.getLong("meetings")).isEqualTo(5); // m-0..m-3 and the anonymous one
        assertThat(report.getLong("policyViolations")).isZero();
        Map<String, Integer> reported = new HashMap<>();
        long sum = 0;
        double shares = 0;
        for (Map<String, Object> row : report.<Map<String, Object>>getList("byRegion")) {
            String region = (String) row.get("region");
            reported.put(region, (Integer) row.get("participants"));
            assertThat(((Number) row.get("meetings")).longValue()).as(region).isEqualTo(meetingsByRegion.get(region).size());
            sum += (Integer) row.get("participants");
            shares += ((Number) row.get("share")).doubleValue();
        }
        assertThat(reported).isEqualTo(participantsByRegion);
        assertThat(sum).isEqualTo(participants);
        assertThat(shares).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(reported).doesNotContainKey("CN");
        // the window is [from, to): a window that ends before the plans sees none of them
        Instant now = Instant.now();
        Tokens.as(Roles.OPS).when().get("/api/v1/accounts/" + account + "/traffic-report?from="
                        + now.minus(2, ChronoUnit.DAYS) + "&to=" + now.minus(1, ChronoUnit.DAYS))
                .then().statusCode(200).body("plans", equalTo(0)).body("participants", equalTo(0))
                .body("byRegion.size()", equalTo(0));
    }

    @Test
    void aRecordThatUsedABlockedRegionIsCountedAsAViolation() {
        String account = account();
        routed(plan(account, "m-1", "AUTO", "DE"));
        assertThat(report(account).getLong("policyViolations")).isZero();

        long now = System.currentTimeMillis();
        // what the engine never produces: written behind its back, the report must still catch it
        store.insert(List.of(
                new RoutingRecord(PlanIds.next(now), now, account, "m-2", "SINGLE", 3,
                        List.of(new RoutingRecord.Site("cn-sha", "CN", 3, true)), new TreeSet<>(List.of("CN")),
                        new TreeSet<>(List.of("CN")), Optional.empty(), List.of("request"), null),
                new RoutingRecord(PlanIds.next(now), now, account, "m-3", "CASCADE", 2,
                        List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true), new RoutingRecord.Site("us-sjc", "US", 1, false)),
                        new TreeSet<>(List.of("EU", "US")), new TreeSet<>(),
                        Optional.of(new TreeSet<>(List.of("EU"))), List.of("account:" + account), null)),
                false);

        JsonPath report = report(account);
        assertThat(report.getLong("policyViolations")).isEqualTo(2);
        assertThat(report.getLong("plans")).isEqualTo(3);
    }

    @Test
    void historyListsAMeetingsPlansNewestFirstWithPaging() {
        String account = account();
        List<String> planIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            planIds.add(routed(plan(account, "weekly", "AUTO", "DE", i % 2 == 0 ? "US" : "FR")).getString("planId"));
        }
        routed(plan(account, "other-meeting", "AUTO", "DE"));
        List<String> newestFirst = new ArrayList<>(planIds);
        java.util.Collections.reverse(newestFirst);

        String path = "/api/v1/accounts/" + account + "/meetings/weekly/routing-history";
        Response all = Tokens.as(Roles.REGION_ADMIN, account).when().get(path);
        all.then().statusCode(200).header("Link", org.hamcrest.Matchers.nullValue());
        assertThat(all.jsonPath().getList("planId", String.class)).isEqualTo(newestFirst);
        JsonPath first = all.jsonPath();
        assertThat(first.getList("effectivePolicy.blockedRegions[0]", String.class)).containsExactly("CN");
        assertThat(first.getList("effectivePolicy.sources[0]", String.class)).containsExactly("request");
        assertThat(first.getString("[0].regionsUsed[0]")).isNotBlank();
        assertThat(first.getInt("[0].dataCenters.participants.sum()")).isEqualTo(2);
        assertThat(first.getString("[0].recordedAt")).endsWith("Z");

        // pages of two, following the Link header
        List<String> paged = new ArrayList<>();
        String next = path + "?limit=2";
        int pages = 0;
        while (next != null) {
            Response page = Tokens.as(Roles.OPS).when().get(next);
            page.then().statusCode(200);
            paged.addAll(page.jsonPath().getList("planId", String.class));
            String link = page.header("Link");
            next = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            if (next != null) {
                assertThat(link).contains("rel=\"next\"");
                next = next.substring(next.indexOf("/api/"));
            }
            pages++;
        }
        assertThat(paged).isEqualTo(newestFirst);
        assertThat(pages).isEqualTo(3);

        // a meeting without plans has an empty history
        Tokens.as(Roles.OPS).when().get("/api/v1/accounts/" + account + "/meetings/never/routing-history")
                .then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void reservingPlansAreRecordedOnceWithTheirReservation() {
        String account = account();
        String body = plan(account, "reserved", "AUTO", "IN", "IN").replace("\"strategy\"", "\"reserve\": true, \"strategy\"");
        String key = UUID.randomUUID().toString();
        JsonPath first = Tokens.asClient().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/routing-plans").then().statusCode(200).extract().jsonPath();
        // the retry is answered from the first answer: no new plan, no new record
        Tokens.asClient().header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/routing-plans").then().statusCode(200)
                .body("planId", equalTo(first.getString("planId")));
        try {
            Tokens.as(Roles.OPS).when().get("/api/v1/accounts/" + account + "/meetings/reserved/routing-history")
                    .then().statusCode(200).body("size()", equalTo(1))
                    .body("[0].planId", equalTo(first.getString("planId")))
                    .body("[0].reservationId", equalTo(first.getString("reservation.id")));
        } finally {
            Tokens.asClient().when().delete("/api/v1/reservations/" + first.getString("reservation.id"))
                    .then().statusCode(204);
        }
    }

    @Inject
    javax.sql.DataSource dataSource;

    private long rows(String sql, String planId) throws java.sql.SQLException {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, planId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A batch is stored as a row per account; only records of an account that name a meeting get a
     * row in the history's index, and a retried batch replaces its rows instead of adding to them.
     */
    @Test
    void aBatchIsARowPerAccountAndOnlyAnAccountsMeetingsAreIndexed() throws Exception {
        long now = System.currentTimeMillis();
        var sites = List.of(new RoutingRecord.Site("eu-fra", "EU", 2, true), new RoutingRecord.Site("us-sjc", "US", 1, false));
        RoutingRecord anonymous = new RoutingRecord(PlanIds.next(now), now, null, "m-1", "CASCADE", 3, sites,
                new TreeSet<>(List.of("EU", "US")), new TreeSet<>(), Optional.empty(), List.of(), null);
        RoutingRecord owned = new RoutingRecord(PlanIds.next(now), now, account(), "m-1", "CASCADE", 3, sites,
                new TreeSet<>(List.of("EU", "US")), new TreeSet<>(), Optional.empty(), List.of("request"), null);
        store.insert(List.of(anonymous, owned), false);
        String batch = "select count(*) from routing_record_batch where batch_key = ? and records = 1 "
                + "and body like '%eu-fra:EU:2:P;us-sjc:US:1:-%'";
        String meeting = "select count(*) from routing_record_meeting where batch_key = ?";
        assertThat(rows(batch, anonymous.planId())).isEqualTo(1);
        assertThat(rows(meeting, anonymous.planId())).isZero();
        assertThat(rows(batch, owned.planId())).isEqualTo(1);
        assertThat(rows(meeting, owned.planId())).isEqualTo(1);
        // a retried batch replaces both kinds
        store.insert(List.of(anonymous, owned), true);
        assertThat(rows(batch, anonymous.planId())).isEqualTo(1);
        assertThat(rows(meeting, owned.planId())).isEqualTo(1);
    }

    @Test
    void retentionRemovesOnlyRecordsOlderThanTheCutoff() {
        String account = account();
        long now = System.currentTimeMillis();
        long day = 24L * 3600 * 1000;
        store.insert(List.of(
                new RoutingRecord(PlanIds.next(now - 40 * day), now - 40 * day, account, "old", "SINGLE", 1,
                        List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                        new TreeSet<>(), Optional.empty(), List.of("request"), null),
                new RoutingRecord(PlanIds.next(now - day), now - day, account, "old", "SINGLE", 1,
                        List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                        new TreeSet<>(), Optional.empty(), List.of("request"), null)), false);

        // the two share a batch: the old one goes, the other stays
        assertThat(records.removeOlderThan(now - 30 * day)).isGreaterThanOrEqualTo(1);

        Tokens.as(Roles.OPS).when().get("/api/v1/accounts/" + account + "/meetings/old/routing-history")
                .then().statusCode(200).body("size()", equalTo(1));
    }

    /** A meeting's history pages through batches that also hold other meetings, newest first, nothing twice. */
    @Test
    void historyPagesAcrossBatchesInOrder() {
        String account = account();
        long now = System.currentTimeMillis();
        List<String> ids = new java.util.ArrayList<>();
        for (int batch = 0; batch < 4; batch++) {
            List<RoutingRecord> records = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String id = PlanIds.next(now + batch * 10 + i);
                String meeting = i % 2 == 0 ? "paged" : "other";
                records.add(new RoutingRecord(id, now + batch * 10 + i, account, meeting, "SINGLE", 1,
                        List.of(new RoutingRecord.Site("eu-fra", "EU", 1, true)), new TreeSet<>(List.of("EU")),
                        new TreeSet<>(), Optional.empty(), List.of("request"), null));
                if (meeting.equals("paged")) {
                    ids.add(id);
                }
            }
            // arrival order is not id order within a batch
            java.util.Collections.reverse(records);
            store.insert(records, false);
        }
        java.util.Collections.reverse(ids);

        List<String> seen = new java.util.ArrayList<>();
        Optional<String> before = Optional.empty();
        while (true) {
            List<RoutingRecord> page = store.history(account, "paged", before, 3);
            if (page.isEmpty()) {
                break;
            }
            assertThat(page.size()).isLessThanOrEqualTo(3);
            page.forEach(r -> seen.add(r.planId()));
            before = Optional.of(page.get(page.size() - 1).planId());
        }
        assertThat(seen).isEqualTo(ids);
    }

    @Test
    void onlyOpsAndTheAccountsOwnAdminsMayRead() {
        String account = account();
        String report = "/api/v1/accounts/" + account + "/traffic-report" + window();
        String history = "/api/v1/accounts/" + account + "/meetings/m/routing-history";
        for (String path : List.of(report, history)) {
            given().when().get(path).then().statusCode(401).contentType("application/problem+json");
            Tokens.asClient().when().get(path).then().statusCode(403).body("type", endsWith("/problems/forbidden"));
            Tokens.as(Roles.REGION_ADMIN, "someone-else").when().get(path).then().statusCode(403)
                    .body("type", endsWith("/problems/forbidden"));
            Tokens.as(Roles.REGION_ADMIN, account).when().get(path).then().statusCode(200);
            Tokens.as(Roles.OPS).when().get(path).then().statusCode(200);
        }
    }

    @Test
    void badWindowsAndPagingParametersAreRejected() {
        String base = "/api/v1/accounts/" + account() + "/traffic-report";
        Instant now = Instant.now();
        List<String> bad = List.of("", "?from=" + now, "?to=" + now, "?from=yesterday&to=" + now,
                "?from=" + now + "&to=" + now, "?from=" + now + "&to=" + now.minusSeconds(1),
                "?from=" + now.minus(93, ChronoUnit.DAYS) + "&to=" + now,
                "?from=2026-11-01&to=2026-11-02");
        for (String query : bad) {
            Tokens.as(Roles.OPS).when().get(base + query).then().statusCode(400)
                    .contentType("application/problem+json").body("type", endsWith("/problems/invalid-request"))
                    .body("errors.size()", org.hamcrest.Matchers.greaterThan(0));
        }
        // 92 days is allowed, and offsets other than Z are read
        Tokens.as(Roles.OPS).when().get(base + "?from=" + now.minus(92, ChronoUnit.DAYS) + "&to=" + now)
                .then().statusCode(200);
        Tokens.as(Roles.OPS).urlEncodingEnabled(true).queryParam("from", "2026-11-01T00:00:00+01:00")
                .queryParam("to", "2026-11-02T00:00:00+01:00").when().get(base)
                .then().statusCode(200).body("from", equalTo("2026-10-31T23:00:00Z"));

        String history = "/api/v1/accounts/acme/meetings/m/routing-history";
        for (String query : List.of("?limit=0", "?limit=1001", "?limit=ten", "?before=not-a-plan-id")) {
            Tokens.as(Roles.OPS).when().get(history + query).then().statusCode(400)
                    .body("errors.field", hasItem(query.substring(1, query.indexOf('='))));
        }
        Tokens.as(Roles.OPS).when().get("/api/v1/accounts/bad%20id/meetings/m/routing-history").then().statusCode(400);
    }
}
