package io.meridian.console;

import io.meridian.security.Roles;
import io.meridian.security.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in headless Chromium against the test build (H2): the development sign-in, the pages
 * each role opens, keyboard use of the map, and a page that stays on its origin with a clean console.
 */
@QuarkusTest
class ConsoleBrowserTest {

    @TestHTTPResource("/console/")
    URL console;

    private Browser browser;

    @BeforeEach
    void open() throws Exception {
        Browser.assumeAvailable("ConsoleBrowserTest");
        browser = Browser.open();
    }

    @AfterEach
    void close() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void developmentSignInShouldOpenThePagesOfTheChosenRoles() throws Exception {
        String account = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        browser.get(console.toString());
        browser.type("form.sign-in-dev input[name=subject]", "dev-dana");
        browser.type("form.sign-in-dev input[name=accounts]", account);
        browser.find("form.sign-in-dev button[type=submit]").click();
        browser.waitFor(d -> d.findElements(By.cssSelector("#nav a")).size() == 4);
        assertThat(browser.all("#nav a").stream().map(WebElement::getText))
                .containsExactly("Map", "Region policy", "Where traffic went", "Operations");
        assertThat(browser.find("#who .subject").getText()).isEqualTo("dev-dana");

        int dataCenters = RestAssured.given().auth().oauth2(Tokens.token(Roles.OPS)).when().get("/api/v1/data-centers")
                .then().statusCode(200).extract().path("size()");
        browser.waitFor(d -> d.findElements(By.cssSelector("svg.world g.dc")).size() == dataCenters);
        assertThat(browser.all("svg.world text.dc-label")).hasSize(dataCenters);
        browser.waitFor(d -> {
            browser.find("svg.world g.dc[data-dc='eu-fra']").sendKeys(Keys.ENTER);
            return true;
        });
        browser.waitFor(d -> d.findElement(By.cssSelector(".details-panel h2")).getText().startsWith("eu-fra"));
        assertThat(browser.find(".details-panel dl.details").getText()).contains("Capacity", "Headroom", "Reserved", "Status set by");
        browser.screenshot("dev-map");

        browser.find("#nav a[href='#/policy']").click();
        browser.find("form.policy-form");
        assertThat(browser.find(".policy-state").getText()).contains("no policy yet");
        browser.find("tr[data-region='CN'] input[value=block]").click();
        browser.find("form.policy-form button[type=submit]").click();
        browser.waitFor(d -> d.findElement(By.cssSelector(".policy-state")).getAttribute("data-version").equals("1"));
        RestAssured.given().auth().oauth2(Tokens.token(Roles.REGION_ADMIN, account)).when()
                .get("/api/v1/accounts/" + account + "/region-policy").then().statusCode(200)
                .body("blockedRegions", org.hamcrest.Matchers.equalTo(List.of("CN")))
                .body("updatedBy", org.hamcrest.Matchers.equalTo("dev-dana"));
        browser.screenshot("dev-policy");

        browser.find("#nav a[href='#/traffic']").click();
        browser.find(".headline");
        browser.screenshot("dev-traffic");
        browser.find("#nav a[href='#/ops']").click();
        browser.find("form.status-form");
        browser.find(".simulation form button[type=submit]").click();
        browser.find(".side-by-side [data-side='scenario']");
        browser.screenshot("dev-ops");

        assertThat(browser.script("return window.localStorage.length")).isEqualTo(0L);
        assertThat((String) browser.script("return sessionStorage.getItem('meridian.console.session')")).contains("dev-dana");
        assertThat(browser.requestsOutside(console.toString())).isEmpty();
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aMeetingClientShouldSeeOnlyTheMap() throws Exception {
        browser.get(console.toString());
        browser.find("form.sign-in-dev");
        for (WebElement box : browser.all("form.sign-in-dev input[name=roles]")) {
            if (box.isSelected() != box.getAttribute("value").equals(Roles.MEETING_CLIENT)) {
                box.click();
            }
        }
        browser.find("form.sign-in-dev button[type=submit]").click();
        browser.waitFor(d -> d.findElements(By.cssSelector("svg.world g.dc")).size() > 0);
        assertThat(browser.all("#nav a").stream().map(WebElement::getText)).containsExactly("Map");
        browser.get(console + "#/ops");
        assertThat(browser.find("main .notice").getText()).contains("needs the role ops");
        browser.find("button.sign-out").click();
        browser.find("form.sign-in-token textarea");
        assertThat(browser.script("return sessionStorage.getItem('meridian.console.session')")).isNull();
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
