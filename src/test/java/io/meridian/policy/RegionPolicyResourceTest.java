package io.meridian.policy;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class RegionPolicyResourceTest {

    @io.quarkus.test.common.http.TestHTTPResource(value = "metrics", management = true)
    java.net.URL metrics;

    @Test
    void changesShouldBeCountedByAction() {
        String acct = account();
        put(acct, "{\"blockedRegions\": [\"CN\"]}", null).statusCode(200);
        put(acct, "{\"blockedRegions\": [\"HK\"]}", "\"1\"").statusCode(200);
        String scrape = io.restassured.RestAssured.given().when().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape)
                .containsPattern("meridian_region_policy_changes_total\\{action=\"create\"} [1-9]")
                .containsPattern("meridian_region_policy_changes_total\\{action=\"update\"} [1-9]")
                .contains("meridian_region_policy_changes_total{action=\"delete\"}");
    }

    /** A fresh account per test: tests share one database and must not depend on each other. */
    private static String account() {
        return "acct-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String path(String account) {
        return "/api/v1/accounts/" + account + "/region-policy";
    }

    private static ValidatableResponse put(String account, String body, String ifMatch) {
        var request = Tokens.as(Roles.REGION_ADMIN, account).contentType(ContentType.JSON).body(body);
        if (ifMatch != null) {
            request = request.header("If-Match", ifMatch);
        }
        return request.when().put(path(account)).then();
    }

    @Test
    void shouldCreateReadReplaceAndDeleteWithETags() {
        String acct = account();
        String etag = put(acct, "{\"blockedRegions\": [\"cn\"], \"allowedRegions\": [\"EU\", \"US\"], \"homeRegion\": \"eu\"}", null)
                .statusCode(200)
                .body("accountId", equalTo(acct))
                .body("blockedRegions", equalTo(List.of("CN")))
                .body("allowedRegions", equalTo(List.of("EU", "US")))
                .body("homeRegion", equalTo("EU"))
                .body("version", equalTo(1))
                .body("updatedBy", equalTo("test-region-admin"))
                .extract().header("ETag");
        assertThat(etag).isEqualTo("\"1\"");
        Tokens.as(Roles.REGION_ADMIN, acct).when().get(path(acct)).then().statusCode(200)
                .header("ETag", "\"1\"").body("version", equalTo(1)).body("updatedAt", not(nullValue()));

        put(acct, "{\"blockedRegions\": []}", null).statusCode(428)
                .contentType("application/problem+json").body("type", endsWith("/problems/precondition-required"));
        put(acct, "{\"blockedRegions\": []}", "\"7\"").statusCode(412)
                .contentType("application/problem+json").body("type", endsWith("/problems/precondition-failed"));
        put(acct, "{\"blockedRegions\": [\"JP\"], \"allowedRegions\": null}", etag).statusCode(200)
                .header("ETag", "\"2\"").body("blockedRegions", equalTo(List.of("JP"))).body("allowedRegions", nullValue());
        put(acct, "{\"blockedRegions\": []}", etag).statusCode(412);

        Tokens.as(Roles.REGION_ADMIN, acct).when().delete(path(acct)).then().statusCode(428);
        Tokens.as(Roles.REGION_ADMIN, acct).header("If-Match", "\"1\"").when().delete(path(acct)).then().statusCode(412);
        Tokens.as(Roles.REGION_ADMIN, acct).header("If-Match", "\"2\"").when().delete(path(acct)).then().statusCode(204);
        Tokens.as(Roles.REGION_ADMIN, acct).when().get(path(acct)).then().statusCode(404)
                .body("type", endsWith("/problems/not-found"));
        Tokens.as(Roles.REGION_ADMIN, acct).header("If-Match", "\"2\"").when().delete(path(acct)).then().statusCode(404);

        // re-created after a delete: versions keep growing, so an old ETag never matches again
        put(acct, "{\"blockedRegions\": [\"CN\"]}", null).statusCode(200).header("ETag", "\"4\"");
    }

    @Test
    void shouldRecordEveryChangeNewestFirstWithTheCaller() {
        String acct = account();
        put(acct, "{\"blockedRegions\": [\"CN\"]}", null).statusCode(200);
        Tokens.claims(Roles.REGION_ADMIN, acct).subject("bob@acme.example");
        var bob = io.restassured.RestAssured.given().auth().oauth2(Tokens.claims(Roles.REGION_ADMIN, acct)
                .subject("bob@acme.example").sign());
        bob.contentType(ContentType.JSON).header("If-Match", "\"1\"").body("{\"blockedRegions\": [\"CN\", \"HK\"]}")
                .when().put(path(acct)).then().statusCode(200);
        Tokens.as(Roles.REGION_ADMIN, acct).header("If-Match", "\"2\"").when().delete(path(acct)).then().statusCode(204);
        Tokens.as(Roles.REGION_ADMIN, acct).when().get(path(acct) + "/history").then().statusCode(200)
                .body("", hasSize(3))
                .body("version", equalTo(List.of(3, 2, 1)))
                .body("action", equalTo(List.of("DELETE", "UPDATE", "CREATE")))
                .body("changedBy", equalTo(List.of("test-region-admin", "bob@acme.example", "test-region-admin")))
                .body("[1].blockedRegions", equalTo(List.of("CN", "HK")))
                .body("[0].blockedRegions", equalTo(List.of("CN", "HK")))
                .body("changedAt", everyItem(not(nullValue())));
        String fresh = account();
        Tokens.as(Roles.REGION_ADMIN, fresh).when().get(path(fresh) + "/history").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void shouldRejectInvalidPolicies() {
        String acct = account();
        put(acct, "{\"blockedRegions\": [\"MARS\"]}", null).statusCode(400)
                .body("errors[0].field", equalTo("blockedRegions[0]"));
        put(acct, "{\"blockedRegions\": [\"EU\"], \"homeRegion\": \"EU\"}", null).statusCode(400)
                .body("errors[0].field", equalTo("homeRegion")).body("errors[0].message", containsString("cannot be blocked"));
        put(acct, "{\"allowedRegions\": [\"US\"], \"homeRegion\": \"EU\"}", null).statusCode(400)
                .body("errors[0].message", containsString("must be in allowedRegions"));
        put(acct, "{\"blockedRegions\": [\"EU\", \"CN\", \"JP\"], \"allowedRegions\": [\"eu\", \"jp\", \"US\"]}", null)
                .statusCode(400)
                .body("errors[0].field", equalTo("allowedRegions"))
                .body("errors[0].message", containsString("EU, JP"));
        put(acct, "{\"homeRegion\": \"XX\"}", null).statusCode(400).body("errors[0].field", equalTo("homeRegion"));
        put(acct, "{\"blockedRegion\": [\"CN\"]}", null).statusCode(400).body("errors[0].field", equalTo("blockedRegion"));
        put(acct, "not json", null).statusCode(400);
        // nothing was stored by any of these
        Tokens.as(Roles.REGION_ADMIN, acct).when().get(path(acct) + "/history").then().body("", hasSize(0));
    }

    @Test
    void foreignAccountsShouldBeForbiddenWhetherTheyExistOrNot() {
        String mine = account();
        String theirs = account();
        put(theirs, "{\"blockedRegions\": [\"CN\"]}", null).statusCode(200);
        for (String target : List.of(theirs, account())) {
            String a = Tokens.as(Roles.REGION_ADMIN, mine).when().get(path(target)).then().statusCode(403).extract().asString();
            String b = Tokens.as(Roles.REGION_ADMIN, mine).contentType(ContentType.JSON).body("{}").when().put(path(target))
                    .then().statusCode(403).extract().asString();
            Tokens.as(Roles.REGION_ADMIN, mine).when().delete(path(target)).then().statusCode(403);
            Tokens.as(Roles.REGION_ADMIN, mine).when().get(path(target) + "/history").then().statusCode(403);
            assertThat(a.replace(target, "X")).isEqualTo(
                    Tokens.as(Roles.REGION_ADMIN, mine).when().get(path(account())).then().extract().asString()
                            .replaceAll("acct-[0-9a-f]{8}", "X"));
            assertThat(b).doesNotContain("exist");
        }
        Tokens.as(Roles.MEETING_CLIENT).when().get(path(theirs)).then().statusCode(403);
        Tokens.as(Roles.OPS).when().get(path(theirs)).then().statusCode(403);
        io.restassured.RestAssured.given().when().get(path(theirs)).then().statusCode(401);
    }

    @Test
    void racingAdminsWithTheSameETagShouldHaveExactlyOneWinner() throws Exception {
        String acct = account();
        put(acct, "{\"blockedRegions\": [\"CN\"]}", null).statusCode(200);
        int racers = 8;
        String token = Tokens.token(Roles.REGION_ADMIN, acct);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String region = List.of("HK", "JP", "SG", "IN", "AU", "LA", "CA", "US").get(i);
            Callable<Integer> racer = () -> {
                start.await();
                Response r = io.restassured.RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                        .header("If-Match", "\"1\"").body("{\"blockedRegions\": [\"" + region + "\"]}")
                        .when().put(path(acct));
                return r.statusCode();
            };
            results.add(pool.submit(racer));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 412).hasSize(racers - 1);
        Tokens.as(Roles.REGION_ADMIN, acct).when().get(path(acct) + "/history").then().body("", hasSize(2))
                .body("version", equalTo(List.of(2, 1)));
    }

    @Test
    void racingCreatorsShouldHaveExactlyOneWinner() throws Exception {
        String acct = account();
        String token = Tokens.token(Roles.REGION_ADMIN, acct);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return io.restassured.RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body("{\"blockedRegions\": [\"CN\"]}").when().put(path(acct)).statusCode();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        // losers either lost the insert (412) or arrived after it and sent no If-Match (428)
        assertThat(statuses).allMatch(s -> s == 200 || s == 412 || s == 428);
        Tokens.as(Roles.REGION_ADMIN, acct).when().get(path(acct) + "/history").then().body("", hasSize(1));
    }

    @Test
    void plansShouldApplyTheAccountPolicyAndRequestsOnlyNarrowIt() {
        String acct = account();
        put(acct, "{\"blockedRegions\": [\"EU\"], \"allowedRegions\": [\"EU\", \"US\", \"CA\", \"JP\"]}", null)
                .statusCode(400); // clash: EU both blocked and allowed
        put(acct, "{\"blockedRegions\": [\"CN\"], \"allowedRegions\": [\"US\", \"CA\", \"JP\"]}", null).statusCode(200);
        String plan = "{\"accountId\": \"" + acct + "\", \"participants\": [{\"id\": \"a\", \"location\": {\"country\": \"DE\"}}]%s}";
        Tokens.asClient().contentType(ContentType.JSON).body(plan.formatted("")).when().post("/api/v1/routing-plans")
                .then().statusCode(200)
                .body("regionsUsed", everyItem(org.hamcrest.Matchers.in(List.of("US", "CA", "JP"))))
                .body("effectivePolicy.blockedRegions", equalTo(List.of("CN")))
                .body("effectivePolicy.allowedRegions", equalTo(List.of("CA", "JP", "US")))
                .body("effectivePolicy.sources", equalTo(List.of("account:" + acct)));
        // the request narrows: allow EU (ignored, the account does not allow it) and JP; block CA
        Tokens.asClient().contentType(ContentType.JSON)
                .body(plan.formatted(", \"allowedRegions\": [\"EU\", \"JP\"], \"blockedRegions\": [\"CA\"]"))
                .when().post("/api/v1/routing-plans").then().statusCode(200)
                .body("regionsUsed", equalTo(List.of("JP")))
                .body("effectivePolicy.allowedRegions", equalTo(List.of("JP")))
                .body("effectivePolicy.blockedRegions", equalTo(List.of("CA", "CN")))
                .body("effectivePolicy.sources", equalTo(List.of("request", "account:" + acct)));
        // a request cannot widen: asking only for EU leaves nothing
        Tokens.asClient().contentType(ContentType.JSON).body(plan.formatted(", \"allowedRegions\": [\"EU\"]"))
                .when().post("/api/v1/routing-plans").then().statusCode(422);
    }
}
