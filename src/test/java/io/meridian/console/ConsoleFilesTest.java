package io.meridian.console;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's bundled files keep the promises the CSP enforces in the browser, so a slip shows up
 * here with its file name: no inline script, style or handler, no HTML from strings, no eval, nothing
 * kept in localStorage, nothing loaded from another origin; the bundled map is small and names its source.
 */
class ConsoleFilesTest {

    private static final Path ROOT = Path.of("src/main/resources/META-INF/resources/console");

    private static List<Path> files(String extension) throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(extension)).sorted().toList();
        }
    }

    @Test
    void thePageShouldHaveNoInlineScriptStyleOrHandler() throws IOException {
        for (Path html : files(".html")) {
            String text = Files.readString(html);
            assertThat(text).as(html.toString())
                    .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                    .doesNotContainPattern("<style")
                    .doesNotContainPattern("\\sstyle=")
                    .doesNotContainPattern("\\son[a-z]+=")
                    .doesNotContainPattern("(src|href)=\"(https?:)?//");
        }
    }

    @Test
    void theScriptsShouldBuildNoMarkupFromStringsAndKeepNoTokenInLocalStorage() throws IOException {
        List<Path> scripts = files(".js");
        assertThat(scripts).hasSizeGreaterThan(8);
        Pattern forbidden = Pattern.compile("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function"
                + "|localStorage\\.|\\.style\\.|setAttribute\\(\\s*'style'|\\bimport\\(\\s*'https?:");
        for (Path script : scripts) {
            String code = Files.readString(script).replaceAll("(?m)^\\s*//.*$", "");
            assertThat(forbidden.matcher(code).results().map(m -> m.group()).toList()).as(script.toString()).isEmpty();
            assertThat(code.replace("'http://www.w3.org/2000/svg'", "")).as(script.toString())
                    .doesNotContainPattern("['\"`]https?://");
        }
    }

    @Test
    void theStylesShouldLoadNothingFromElsewhere() throws IOException {
        for (Path css : files(".css")) {
            assertThat(Files.readString(css)).as(css.toString()).doesNotContainPattern("url\\(|@import");
        }
    }

    @Test
    void theWorldMapShouldBeSmallAndNameItsSource() throws IOException {
        Path world = ROOT.resolve("data/world-110m.geo.json");
        assertThat(Files.size(world)).isLessThan(200_000);
        assertThat(Files.readString(world)).startsWith("{\"type\":\"FeatureCollection\",\"source\":\"Natural Earth 1:110m");
    }
}
