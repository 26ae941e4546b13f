package io.meridian.catalog;

import io.meridian.security.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class CatalogResourceTest {

    @Test
    void shouldListTheTenRegionsOfTheContract() {
        Tokens.asClient().when().get("/api/v1/regions").then().statusCode(200)
                .body("code", equalTo(List.of("AU", "CA", "CN", "EU", "HK", "IN", "JP", "LA", "SG", "US")))
                .body("find { it.code == 'EU' }.name", equalTo("Europe"))
                .body("find { it.code == 'EU' }.dataCenters", equalTo(List.of("eu-ams", "eu-dub", "eu-fra")))
                .body("dataCenters.flatten()", hasSize(21));
    }

    @Test
    void shouldListDataCentersWithCapacityFigures() {
        Tokens.asClient().when().get("/api/v1/data-centers").then().statusCode(200)
                .body("", hasSize(21))
                .body("id", hasItems("us-sjc", "eu-fra", "sg-sin", "cn-sha", "la-gru"))
                .body("status", everyItem(equalTo("ACTIVE")))
                .body("capacity", everyItem(greaterThan(0)))
                .body("find { it.id == 'eu-fra' }.headroom", equalTo(29750))
                .body("find { it.id == 'eu-fra' }.city", equalTo("Frankfurt"))
                .body("find { it.id == 'eu-fra' }.region", equalTo("EU"))
                .body("find { it.id == 'eu-fra' }.reportedLoad", equalTo(0))
                .body("find { it.id == 'eu-fra' }.reserved", equalTo(0))
                .body("find { it.id == 'eu-fra' }.lastReportAt", nullValue());
    }

    @Test
    void shouldShowOneDataCenter() {
        Tokens.asClient().when().get("/api/v1/data-centers/la-gru").then().statusCode(200)
                .body("city", equalTo("São Paulo"))
                .body("latitude", equalTo(-23.5505f));
    }

    @Test
    void shouldAnswer404ProblemForAnUnknownDataCenter() {
        Tokens.asClient().when().get("/api/v1/data-centers/xx-nope").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", endsWith("/problems/not-found"))
                .body("instance", equalTo("/api/v1/data-centers/xx-nope"));
        Tokens.asClient().when().get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json");
    }
}
