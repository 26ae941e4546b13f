package io.meridian.console;

import io.meridian.PackagedService;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The console in headless Chromium against the packaged service (prod profile, PostgreSQL), whose
 * people sign in at a real OpenID provider (Keycloak, authorization code with PKCE) and whose tokens
 * the service verifies through Keycloak's JWKS, as in production. Screenshots of every page go to
 * target/console-screenshots.
 */
class ConsoleBrowserIT {

    private static final String SUITE = "ConsoleBrowserIT";
    private static Keycloak keycloak;
    private static PackagedService service;
    private static String account;
    private static Map<String, Keycloak.User> users;

    @BeforeAll
    static void start() throws Exception {
        Browser.assumeAvailable(SUITE);
        PackagedService.database();
        Keycloak.Installation installation = Keycloak.assumeAvailable(SUITE);
        account = "console-" + UUID.randomUUID().toString().substring(0, 8);
        users = Map.of(
                "alice", new Keycloak.User("alice", "alice-pw-1", "region-admin", List.of(account)),
                "bob", new Keycloak.User("bob", "bob-pw-1", "region-admin", List.of(account)),
                "olga", new Keycloak.User("olga", "olga-pw-1", "ops", List.of()),
                "carl", new Keycloak.User("carl", "carl-pw-1", "meeting-client", List.of()));
        int port = PackagedService.freePort();
        int keycloakPort = PackagedService.freePort();
        keycloak = Keycloak.start(installation, keycloakPort, "http://localhost:" + port, List.copyOf(users.values()));
        service = PackagedService.start(port, new PackagedService.Issuer(), Map.of(
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", keycloak.jwks(),
                "MP_JWT_VERIFY_ISSUER", keycloak.issuer(),
                "MERIDIAN_CONSOLE_OIDC_ISSUER", keycloak.issuer(),
                "MERIDIAN_CONSOLE_REFRESH_INTERVAL", "2s"));
        keycloak.awaitStarted();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            if (keycloak != null) {
                keycloak.close();
            }
        }
    }

    /** Signs in through the console's "Sign in" button and Keycloak's login form; returns the access token. */
    private static String signIn(Browser browser, String name) {
        Keycloak.User user = users.get(name);
        browser.get(service.url("/console/"));
        browser.find("#oidc-sign-in").click();
        browser.type("#username", user.username());
        browser.type("#password", user.password());
        browser.find("#kc-login").click();
        browser.waitFor(d -> d.findElements(By.cssSelector("#who .subject")).size() == 1);
        assertThat(browser.driver().getCurrentUrl()).startsWith(service.url("/console/")).doesNotContain("code=");
        return token(browser);
    }

    private static String token(Browser browser) {
        return JsonPath.from((String) browser.script("return sessionStorage.getItem('meridian.console.session')"))
                .getString("token");
    }

    private static String subject(String token) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8))
                .getString("sub");
    }

    private static void assertClean(Browser browser, String... origins) {
        assertThat(browser.requestsOutside(origins)).as("requests off the origin").isEmpty();
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
        assertThat(browser.script("return window.localStorage.length")).isEqualTo(0L);
    }

    @Test
    void anAdminSignedInAtTheProviderShouldSeeOneMarkerPerDataCenter() throws Exception {
        try (Browser browser = Browser.open()) {
            String token = signIn(browser, "alice");
            assertThat(browser.find("#who .subject").getText()).isEqualTo("alice");
            List<Map<String, Object>> dataCenters = RestAssured.given().auth().oauth2(token)
                    .when().get(service.url("/api/v1/data-centers")).then().statusCode(200).extract().path("");
            browser.waitFor(d -> d.findElements(By.cssSelector("svg.world g.dc")).size() == dataCenters.size());
            assertThat(browser.all("svg.world g.dc").stream().map(e -> e.getAttribute("data-dc")))
                    .containsExactlyInAnyOrderElementsOf(dataCenters.stream().map(dc -> (String) dc.get("id")).toList());
            assertThat(browser.all("svg.world text.dc-label")).hasSize(dataCenters.size());
            assertThat(browser.all("svg.world path.region-outline")).hasSizeGreaterThanOrEqualTo(10);
            browser.click("svg.world g.dc[data-dc='jp-tyo']");
            browser.waitFor(d -> d.findElement(By.cssSelector(".details-panel h2")).getText().startsWith("jp-tyo"));
            assertThat(browser.find(".details-panel").getText()).contains("Capacity", "25,000", "Headroom", "Status set by");
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("map");
            assertClean(browser, service.url("/"), keycloak.issuer());
        }
    }

    @Test
    void aPolicySetInTheFormShouldReadBackAndAStaleEditShouldSayWhoChangedIt() throws Exception {
        try (Browser first = Browser.open(); Browser second = Browser.open()) {
            String aliceToken = signIn(first, "alice");
            first.find("#nav a[href='#/policy']").click();
            first.find("form.policy-form");
            first.find("tr[data-region='CN'] input[value=block]").click();
            new org.openqa.selenium.support.ui.Select(first.find("select[name=homeRegion]")).selectByValue("EU");
            first.find("form.policy-form button[type=submit]").click();
            first.waitFor(d -> "1".equals(d.findElement(By.cssSelector(".policy-state")).getAttribute("data-version")));
            String path = service.url("/api/v1/accounts/" + account + "/region-policy");
            JsonPath stored = RestAssured.given().auth().oauth2(aliceToken).when().get(path).then().statusCode(200)
                    .header("ETag", "\"1\"").extract().jsonPath();
            assertThat(stored.getList("blockedRegions")).containsExactly("CN");
            assertThat(stored.getString("homeRegion")).isEqualTo("EU");
            assertThat((Object) stored.get("allowedRegions")).isNull();
            assertThat(stored.getString("updatedBy")).isEqualTo(subject(aliceToken));

            // alice edits on; meanwhile bob, in another session, saves a change
            first.find("tr[data-region='SG'] input[value=block]").click();
            String bobToken = signIn(second, "bob");
            second.find("#nav a[href='#/policy']").click();
            second.find("form.policy-form");
            second.find("tr[data-region='HK'] input[value=block]").click();
            second.find("form.policy-form button[type=submit]").click();
            second.waitFor(d -> "2".equals(d.findElement(By.cssSelector(".policy-state")).getAttribute("data-version")));

            first.find("form.policy-form button[type=submit]").click();
            WebElement conflict = first.find(".policy-form .notice-error");
            assertThat(conflict.getText()).contains("changed meanwhile").contains(subject(bobToken)).contains("version 2");
            first.screenshot("policy-conflict");
            first.find(".policy-form .notice-error button.reload").click();
            first.waitFor(d -> "2".equals(d.findElement(By.cssSelector(".policy-state")).getAttribute("data-version")));
            assertThat(first.find("tr[data-region='HK'] input[value=block]").isSelected()).isTrue();
            assertThat(first.find("tr[data-region='SG'] input[value=block]").isSelected()).isFalse();
            assertThat(first.all("ol.timeline li").stream().map(li -> li.getAttribute("data-action")))
                    .containsExactly("UPDATE", "CREATE");
            RestAssured.given().auth().oauth2(aliceToken).when().get(path).then().statusCode(200).header("ETag", "\"2\"");
            first.script("window.scrollTo(0, 0)");
            first.screenshot("policy");
            assertClean(first, service.url("/"), keycloak.issuer());
            assertClean(second, service.url("/"), keycloak.issuer());
        }
    }

    @Test
    void theTrafficChartShouldShowTheSharesTheApiReports() throws Exception {
        String meeting = "weekly-" + UUID.randomUUID().toString().substring(0, 6);
        String[][] meetings = {{"DE", "FR", "US"}, {"JP", "JP"}, {"IN", "DE"}, {"BR", "US", "US", "CA"}};
        try (Browser client = Browser.open()) {
            String clientToken = signIn(client, "carl");
            assertThat(client.all("#nav a").stream().map(WebElement::getText)).containsExactly("Map");
            for (String[] countries : meetings) {
                StringBuilder participants = new StringBuilder();
                for (int i = 0; i < countries.length; i++) {
                    participants.append(i == 0 ? "" : ", ").append("{\"id\": \"p").append(i)
                            .append("\", \"location\": {\"country\": \"").append(countries[i]).append("\"}}");
                }
                RestAssured.given().auth().oauth2(clientToken).contentType(ContentType.JSON)
                        .body("{\"meetingId\": \"" + meeting + "\", \"accountId\": \"" + account + "\", \"participants\": ["
                                + participants + "]}")
                        .when().post(service.url("/api/v1/routing-plans")).then().statusCode(200);
            }
        }
        try (Browser browser = Browser.open()) {
            String token = signIn(browser, "alice");
            browser.find("#nav a[href='#/traffic']").click();
            browser.find(".traffic-chart");
            String from = (String) browser.script("return new Date(document.querySelector('input[name=from]').value + ':00Z').toISOString()");
            String to = (String) browser.script("return new Date(document.querySelector('input[name=to]').value + ':00Z').toISOString()");
            JsonPath report = RestAssured.given().auth().oauth2(token).queryParam("from", from).queryParam("to", to)
                    .when().get(service.url("/api/v1/accounts/" + account + "/traffic-report")).then().statusCode(200)
                    .extract().jsonPath().using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
            List<Map<String, Object>> byRegion = report.getList("byRegion");
            assertThat(byRegion).isNotEmpty();
            List<WebElement> bars = browser.all(".traffic-chart svg.chart g.bar");
            assertThat(bars.stream().map(b -> b.getAttribute("data-key")))
                    .containsExactlyElementsOf(byRegion.stream().map(r -> (String) r.get("region")).toList());
            for (int i = 0; i < bars.size(); i++) {
                double share = ((Number) byRegion.get(i).get("share")).doubleValue();
                assertThat(Double.parseDouble(bars.get(i).getAttribute("data-share"))).isCloseTo(share, within(1e-9));
                assertThat(bars.get(i).getText()).contains(String.format(java.util.Locale.ROOT, "%.1f %%", share * 100));
            }
            assertThat(browser.find(".headline").getAttribute("data-violations"))
                    .isEqualTo(String.valueOf(report.getLong("policyViolations")));
            assertThat(browser.find(".headline .figure").getText()).isEqualTo("0");
            assertThat(browser.all("svg.world path.region-area.shaded")).hasSize(byRegion.size());

            browser.type("input[name=meetingId]", meeting);
            browser.find("form[aria-label='Routing history of a meeting'] button[type=submit]").click();
            browser.waitFor(d -> d.findElements(By.cssSelector(".history ol.timeline li")).size() == meetings.length);
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("traffic");
            browser.script("document.querySelector('.map-layout.single').scrollIntoView()");
            browser.screenshot("traffic-map");
            assertClean(browser, service.url("/"), keycloak.issuer());
        }
    }

    @Test
    void anOpsUserShouldDrainADataCenterAndSeeItOnTheMap() throws Exception {
        String dc = "au-mel";
        String opsToken = null;
        try (Browser browser = Browser.open()) {
            opsToken = signIn(browser, "olga");
            browser.find("#nav a[href='#/ops']").click();
            browser.find("form.status-form");
            browser.find("tr[data-dc='" + dc + "'] button[data-action=DRAINING]").click();
            browser.type("form.status-form input[name=reason]", "console IT: maintenance");
            browser.find("form.status-form button[type=submit]").click();
            assertThat(browser.find("form.status-form .notice-success").getText()).contains(dc + " is now DRAINING");
            JsonPath view = RestAssured.given().auth().oauth2(opsToken).when()
                    .get(service.url("/api/v1/data-centers/" + dc)).then().statusCode(200).extract().jsonPath();
            assertThat(view.getString("status")).isEqualTo("DRAINING");
            assertThat(view.getString("statusReason")).isEqualTo("console IT: maintenance");
            assertThat(view.getString("statusChangedBy")).isEqualTo(subject(opsToken));

            browser.find(".simulation input[name=dataCentersDown][value='eu-fra']").click();
            browser.find(".simulation form button[type=submit]").click();
            WebElement scenario = browser.find(".side-by-side [data-side='scenario']");
            assertThat(browser.find(".side-by-side [data-side='baseline']").getText()).contains("Routable meetings");
            assertThat(scenario.getText()).contains("Routable meetings", "Mean RTT");
            browser.script("document.querySelector('.simulation-result').scrollIntoView()");
            browser.screenshot("ops-simulation");

            // load on two sites, so the map shows every kind of marker (reset in finally)
            report(opsToken, "us-sjc", 26_000);
            report(opsToken, "sg-sin", 17_000);
            browser.find("#nav a[href='#/map']").click();
            assertThat(browser.attribute("svg.world g.dc[data-dc='" + dc + "']", "data-status")).isEqualTo("DRAINING");
            assertThat(browser.text("svg.world text.dc-label[data-dc='" + dc + "']")).isEqualTo(dc + " DRAINING");
            browser.waitFor(d -> "full".equals(d.findElement(By.cssSelector("svg.world g.dc[data-dc='sg-sin']")).getAttribute("data-kind")));
            assertThat(browser.text("svg.world text.dc-label[data-dc='sg-sin']")).isEqualTo("sg-sin FULL");
            assertThat(browser.text("svg.world text.dc-label[data-dc='us-sjc']")).isEqualTo("us-sjc 65 %");
            browser.click("svg.world g.dc[data-dc='" + dc + "']");
            browser.waitFor(d -> d.findElement(By.cssSelector(".details-panel")).getText().contains("console IT: maintenance"));
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("map-with-load");
            browser.find("#nav a[href='#/ops']").click();
            browser.find("tr[data-dc='" + dc + "']");
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("ops");
            assertClean(browser, service.url("/"), keycloak.issuer());
        } finally {
            if (opsToken != null) {
                RestAssured.given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                        .body("{\"status\": \"ACTIVE\", \"reason\": \"console IT done\"}")
                        .when().put(service.url("/api/v1/data-centers/" + dc + "/status")).then().statusCode(200);
                report(opsToken, "us-sjc", 0);
                report(opsToken, "sg-sin", 0);
            }
        }
    }

    private static void report(String opsToken, String dataCenter, int participants) {
        RestAssured.given().auth().oauth2(opsToken).contentType(ContentType.JSON)
                .body("{\"activeParticipants\": " + participants + "}")
                .when().post(service.url("/api/v1/data-centers/" + dataCenter + "/load-reports")).then().statusCode(202);
    }

    @Test
    void aPastedTokenSessionShouldRequestNothingOutsideTheOrigin() throws Exception {
        String token;
        try (Browser provider = Browser.open()) {
            token = signIn(provider, "alice");
        }
        try (Browser browser = Browser.open()) {
            browser.get(service.url("/console/"));
            browser.find("form.sign-in-token textarea").sendKeys(token);
            browser.find("form.sign-in-token button[type=submit]").click();
            browser.waitFor(d -> d.findElements(By.cssSelector("svg.world g.dc")).size() > 0);
            browser.find("#nav a[href='#/policy']").click();
            browser.find("form.policy-form");
            browser.find("#nav a[href='#/traffic']").click();
            browser.find(".headline");
            browser.find("#nav a[href='#/map']").click();
            browser.find("svg.world g.dc");
            Thread.sleep(2500);
            assertThat(browser.requests()).anyMatch(u -> u.contains("/api/v1/data-centers"));
            assertClean(browser, service.url("/"));
            browser.find("button.sign-out").click();
            browser.find("form.sign-in-token");
            assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        }
    }
}
