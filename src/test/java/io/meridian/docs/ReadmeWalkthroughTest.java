package io.meridian.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.docs.Walkthrough.Shown;
import io.meridian.docs.Walkthrough.Step;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's walk-through in order, as a reader would on a fresh clone with
 * {@code ./mvnw quarkus:dev} (a fresh embedded database; tokens from {@code deploy/dev/token.sh}),
 * and checks that every answer the README shows is the answer the service gives, ids and times
 * aside ({@link Answers}). On the PostgreSQL run it is skipped: the README's reader runs the
 * embedded default.
 */
@QuarkusTest
@TestProfile(ReadmeWalkthroughTest.FreshDatabase.class)
@DisabledIfSystemProperty(named = "quarkus.test.profile", matches = ".*\\bpg\\b.*",
        disabledReason = "the README's walk-through runs on the embedded default")
class ReadmeWalkthroughTest {

    /** The walk-through starts from an empty database, as on a fresh clone. */
    public static class FreshDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url",
                    "jdbc:h2:mem:walkthrough;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000");
        }
    }

    private static final Pattern ASSIGN_COMMAND = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\\$\\((.*)\\)");
    private static final Pattern ASSIGN = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);
    private static final String README_HOST = "localhost:8080";
    /** Where the real answers are written, laid out as the README shows them. */
    private static final Path ANSWERS = Path.of("target/walkthrough");

    @TestHTTPResource("/")
    URL service;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void everyAnswerTheReadmeShowsIsTheAnswerItGets() throws Exception {
        Walkthrough walkthrough = Walkthrough.read(Path.of("README.md"));
        assertThat(walkthrough.steps().stream().filter(Step::requests).count()).as("requests in the walk-through")
                .isGreaterThanOrEqualTo(5);
        Map<String, String> variables = new HashMap<>();
        List<String> failures = new ArrayList<>();
        for (Step step : walkthrough.steps()) {
            for (String command : step.commands()) {
                String where = "README.md:" + step.line() + ": " + command.lines().findFirst().orElse("");
                Optional<HttpResponse<String>> response = run(command, variables, where);
                if (response.isPresent()) {
                    check(step.answer().orElseThrow(), response.get(), failures, where);
                }
            }
        }
        assertThat(failures).as("README answers that differ from the service's").isEmpty();
    }

    /** Runs one command: an assignment, or a request whose answer is returned. */
    private Optional<HttpResponse<String>> run(String command, Map<String, String> variables, String where)
            throws Exception {
        Matcher substitution = ASSIGN_COMMAND.matcher(command);
        if (substitution.matches()) {
            // a request inside a substitution (to keep a value of its answer) goes to this service too
            String substituted = substitution.group(2).replace(README_HOST, serviceHost());
            variables.put(substitution.group(1), bash(substituted, variables, where));
            return Optional.empty();
        }
        List<String> words = ShellWords.split(command, variables);
        Matcher assignment = ASSIGN.matcher(command);
        if (assignment.matches() && words.size() == 1) {
            variables.put(assignment.group(1), words.get(0).substring(assignment.group(1).length() + 1));
            return Optional.empty();
        }
        if (!words.get(0).equals("curl")) {
            throw new AssertionError(where + ": the walk-through may only set variables and run curl");
        }
        return Optional.of(http.send(curl(words.subList(1, words.size()), where), HttpResponse.BodyHandlers.ofString()));
    }

    /** The request curl would send for these arguments (the options the README uses). */
    private HttpRequest curl(List<String> args, String where) {
        String method = null;
        String data = null;
        String url = null;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "*/*");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-s", "-i", "-si", "-is" -> {
                    // silent / include headers: how the answer is printed, compared in check()
                }
                case "-X" -> method = args.get(++i);
                case "-H" -> {
                    String header = args.get(++i);
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
                }
                case "-d", "--data" -> data = args.get(++i);
                default -> {
                    if (arg.startsWith("-")) {
                        throw new AssertionError(where + ": curl option " + arg + " is not understood by this test");
                    }
                    url = arg;
                }
            }
        }
        if (url == null) {
            throw new AssertionError(where + ": no URL");
        }
        String target = url.replaceFirst("^(http://)?" + Pattern.quote(README_HOST),
                service.getProtocol() + "://" + serviceHost());
        if (!target.startsWith("http://")) {
            throw new AssertionError(where + ": the walk-through's requests go to " + README_HOST);
        }
        if (data != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
            headers.put("Content-Type", "application/x-www-form-urlencoded");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
                .method(method != null ? method : data != null ? "POST" : "GET",
                        data != null ? HttpRequest.BodyPublishers.ofString(data, StandardCharsets.UTF_8)
                                : HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return request.build();
    }

    private static void check(Shown shown, HttpResponse<String> response, List<String> failures, String where)
            throws Exception {
        List<String> differences = new ArrayList<>();
        String shownBody = shown.text();
        if (shown.kind().equals("http")) {
            String[] parts = shown.text().split("\n\n", 2);
            shownBody = parts.length > 1 ? parts[1] : "";
            List<String> head = parts[0].lines().toList();
            String status = response.statusCode() + " " + HttpResponseStatus.valueOf(response.statusCode()).reasonPhrase();
            if (!head.get(0).equals("HTTP/1.1 " + status)) {
                differences.add("status: shown '" + head.get(0) + "', answered 'HTTP/1.1 " + status + "'");
            }
            for (String header : head.subList(1, head.size())) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon);
                String value = header.substring(colon + 1).strip();
                Optional<String> real = response.headers().firstValue(name);
                if (real.isEmpty()) {
                    differences.add("header " + name + ": shown, but not in the answer");
                } else if (!name.equalsIgnoreCase("ETag") && !real.get().equals(value)) {
                    differences.add("header " + name + ": shown '" + value + "', answered '" + real.get() + "'");
                }
            }
        }
        if (shownBody.isBlank() != response.body().isBlank()) {
            differences.add(shownBody.isBlank() ? "the answer has a body the README does not show"
                    : "the README shows a body, the answer has none");
        } else if (!shownBody.isBlank()) {
            JsonNode real = Answers.JSON.readTree(response.body());
            Files.createDirectories(ANSWERS);
            Files.writeString(ANSWERS.resolve("README.md-" + shown.line() + ".json"), Answers.render(real) + "\n");
            differences.addAll(Answers.differences(Answers.JSON.readTree(shownBody), real));
            if (!differences.isEmpty()) {
                differences.add("the service answered:\n" + Answers.render(real));
            }
        }
        if (!differences.isEmpty()) {
            failures.add(where + " (answer at README.md:" + shown.line() + ")\n  " + String.join("\n  ", differences));
        }
    }

    private String serviceHost() {
        return service.getHost() + ":" + service.getPort();
    }

    /**
     * The output of a command substitution, run by bash in the project directory as the reader would,
     * with the walk-through's variables so far in its environment.
     */
    private static String bash(String command, Map<String, String> variables, String where) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(false);
        builder.environment().putAll(variables);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(where + ": did not finish in 30 s");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new AssertionError(where + ": exit " + process.exitValue() + ": "
                    + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
