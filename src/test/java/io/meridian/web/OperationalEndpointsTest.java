package io.meridian.web;

import io.meridian.security.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class OperationalEndpointsTest {

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "health", management = true)
    URL health;

    @Test
    void openApiShouldDescribeEveryEndpoint() {
        Map<String, Object> paths = given().accept(ContentType.JSON).when().get("/q/openapi?format=json").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        assertThat(paths).containsKeys("/api/v1/routing-plans", "/api/v1/regions", "/api/v1/data-centers",
                "/api/v1/data-centers/{id}");
        given().accept(ContentType.JSON).when().get("/q/openapi?format=json").then()
                .body("paths.'/api/v1/routing-plans'.post.operationId", equalTo("createRoutingPlan"))
                .body("paths.'/api/v1/routing-plans'.post.responses.'503'.headers.'Retry-After'", notNullValue())
                .body("paths.'/api/v1/regions'.get.operationId", equalTo("listRegions"))
                .body("paths.'/api/v1/data-centers'.get.operationId", equalTo("listDataCenters"))
                .body("paths.'/api/v1/data-centers/{id}'.get.responses.'404'", notNullValue())
                .body("components.schemas.RoutingPlanRequest", notNullValue())
                .body("components.schemas.Problem", notNullValue());
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void routingMetricsShouldAppearAfterARequest() {
        Tokens.asClient().contentType(ContentType.JSON)
                .body("{\"participants\": [{\"id\": \"m\", \"location\": {\"country\": \"JP\"}}], \"strategy\": \"SINGLE\"}")
                .when().post("/api/v1/routing-plans").then().statusCode(200);
        Tokens.asClient().contentType(ContentType.JSON).body("{").when().post("/api/v1/routing-plans").then().statusCode(400);
        String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape)
                .containsPattern("meridian_routing_plans_total\\{outcome=\"ok\",strategy=\"single\"} [1-9]")
                .containsPattern("meridian_routing_plans_total\\{outcome=\"invalid\",strategy=\"unknown\"} [1-9]")
                .contains("meridian_routing_plans_total{outcome=\"no_permitted_capacity\",strategy=\"auto\"}")
                .containsPattern("meridian_routed_participants_total\\{data_center=\"jp-tyo\",region=\"JP\"} [1-9]")
                .contains("meridian_blocked_region_exclusions_total{region=\"CN\"}")
                .containsPattern("meridian_routing_plan_seconds_bucket\\{strategy=\"single\",le=\"0.001\"}")
                .containsPattern("meridian_routing_plan_seconds_count\\{strategy=\"single\"} [1-9]")
                .contains("meridian_data_center_utilization_ratio{data_center=\"eu-fra\",region=\"EU\"} 0.0")
                .contains("meridian_data_center_headroom_participants{data_center=\"eu-fra\",region=\"EU\"} 29750.0");
    }

    @Test
    void blockedRegionExclusionsShouldBeCounted() {
        Tokens.asClient().contentType(ContentType.JSON)
                .body("{\"participants\": [{\"id\": \"m\", \"location\": {\"country\": \"HK\"}}], \"blockedRegions\": [\"HK\"]}")
                .when().post("/api/v1/routing-plans").then().statusCode(200);
        String scrape = given().when().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape).containsPattern("meridian_blocked_region_exclusions_total\\{region=\"HK\"} [1-9]");
    }

    @Test
    void healthShouldBeUpOnTheManagementPort() {
        given().when().get(health).then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'data-center-model' }.data.dataCenters", equalTo(21));
        given().when().get("/q/metrics").then().statusCode(404);
    }
}
