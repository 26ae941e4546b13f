package io.meridian.docs;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md and the service agree on the endpoints: every path the page names is served (or
 * listed below as planned), every operation the OpenAPI document describes is named on the page.
 */
@QuarkusTest
class ApiDocTest {

    /**
     * Operations docs/api.md names in its sections marked "planned", not served yet. When a feature
     * lands, its operations must leave this list (the test fails while a served one is still here),
     * so that from then on they are checked like the rest.
     */
    static final Set<String> PLANNED = Set.of();

    private static final Pattern MENTION = Pattern.compile(
            "(?:\\b(GET|POST|PUT|DELETE|PATCH) )?(/api/v1/[A-Za-z0-9{}_.-]+(?:/[A-Za-z0-9{}_.-]+)*)");

    private final Set<String> servedOperations = new TreeSet<>();
    private final Set<String> servedPaths = new TreeSet<>();
    private final Set<String> namedOperations = new TreeSet<>();
    private final Set<String> namedPaths = new TreeSet<>();

    @BeforeEach
    void read() throws Exception {
        Map<String, Map<String, Object>> paths = given().accept(ContentType.JSON).when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        paths.forEach((path, operations) -> {
            servedPaths.add(normal(path));
            operations.keySet().forEach(method -> servedOperations.add(method.toUpperCase(Locale.ROOT) + " " + normal(path)));
        });
        Matcher mention = MENTION.matcher(Files.readString(Path.of("docs/api.md")));
        while (mention.find()) {
            namedPaths.add(normal(mention.group(2)));
            if (mention.group(1) != null) {
                namedOperations.add(mention.group(1) + " " + normal(mention.group(2)));
            }
        }
    }

    /** Path parameters by position, not by name: {@code /data-centers/{id}} is {@code /data-centers/{}}. */
    private static String normal(String path) {
        return path.replaceAll("\\{[^}]*}", "{}");
    }

    @Test
    void everyOperationThePageNamesIsServedOrPlanned() {
        assertThat(namedOperations).as("operations docs/api.md names").hasSizeGreaterThan(10);
        Set<String> missing = new TreeSet<>(namedOperations);
        missing.removeAll(servedOperations);
        missing.removeAll(PLANNED);
        assertThat(missing).as("operations docs/api.md names that the service does not serve").isEmpty();
    }

    @Test
    void everyPathThePageNamesIsServedOrPlanned() {
        Set<String> planned = new TreeSet<>();
        PLANNED.forEach(operation -> planned.add(operation.substring(operation.indexOf(' ') + 1)));
        Set<String> missing = new TreeSet<>(namedPaths);
        missing.removeAll(servedPaths);
        missing.removeAll(planned);
        assertThat(missing).as("paths docs/api.md names that the service does not serve").isEmpty();
    }

    @Test
    void everyServedOperationIsOnThePage() {
        Set<String> undocumented = new TreeSet<>(servedOperations);
        undocumented.removeAll(namedOperations);
        assertThat(undocumented).as("operations of the OpenAPI document that docs/api.md does not name").isEmpty();
    }

    @Test
    void plannedOperationsAreNotServedYetAndStillOnThePage() {
        Set<String> served = new TreeSet<>(PLANNED);
        served.retainAll(servedOperations);
        assertThat(served).as("served now: remove them from ApiDocTest.PLANNED and their 'planned' mark in docs/api.md")
                .isEmpty();
        Set<String> gone = new TreeSet<>(PLANNED);
        gone.removeAll(namedOperations);
        assertThat(gone).as("planned operations docs/api.md no longer names: remove them from ApiDocTest.PLANNED")
                .isEmpty();
    }
}
