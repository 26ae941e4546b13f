package io.meridian.console;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.remote.service.DriverFinder;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Debian Chromium driven through Debian's chromedriver, never a downloaded one: the driver
 * path is given to the service, so Selenium Manager is skipped (checked at every start), and the
 * builds set SE_OFFLINE. Flags
 * for a closed network (no background, sync, component or QUIC traffic) and a fresh profile per
 * browser. Collects the network log (every request the page made) and the console log.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("meridian.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("meridian.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Pattern REQUEST_URL = Pattern.compile("\"method\":\"Network\\.requestWillBeSent\".*?\"request\":\\{.*?\"url\":\"([^\"]+)\"");
    /** Chromium reports answers with these statuses as console errors; the console expects them (no policy yet, a stale ETag). */
    private static final Pattern EXPECTED_HTTP = Pattern.compile(".*Failed to load resource: the server responded with a status of (404|412|428) .*");

    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> requests = new ArrayList<>();
    private final List<LogEntry> console = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test (with a one-line reason) unless Chromium and its driver are installed. */
    public static void assumeAvailable(String suite) {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            System.out.println(suite + " skipped: no " + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER : CHROMIUM)
                    + " (install Debian's chromium and chromium-driver; .ci/run does)");
        }
        Assumptions.assumeTrue(present, "needs " + CHROMIUM + " and " + CHROMEDRIVER);
    }

    public static Browser open() throws IOException {
        Path profile = Files.createTempDirectory("meridian-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-features=Translate,OptimizationHints,MediaRouter",
                "--user-data-dir=" + profile, "--window-size=1400,1000", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = withDriverFinderLog(() -> new ChromeDriver(service, options));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return new Browser(driver, profile);
    }

    /**
     * Creates the driver while listening to Selenium's driver finder, and fails unless it says it
     * skipped Selenium Manager because the service names the driver (nothing is downloaded).
     */
    private static ChromeDriver withDriverFinderLog(java.util.function.Supplier<ChromeDriver> create) {
        Logger finder = Logger.getLogger(DriverFinder.class.getName());
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        handler.setLevel(Level.ALL);
        Level previous = finder.getLevel();
        finder.setLevel(Level.FINE);
        finder.addHandler(handler);
        try {
            ChromeDriver driver = create.get();
            if (messages.stream().noneMatch(m -> m.startsWith("Skipping Selenium Manager"))) {
                driver.quit();
                throw new AssertionError("Selenium did not say it skipped Selenium Manager: " + messages);
            }
            return driver;
        } finally {
            finder.removeHandler(handler);
            finder.setLevel(previous);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void get(String url) {
        driver.get(url);
    }

    /**
     * Waits for a condition; an element the page re-rendered between finding and reading it (the map
     * redraws on each refresh) makes the wait look again instead of failing the test.
     */
    public <T> T waitFor(ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    public WebElement find(String css) {
        return waitFor(d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Clicks the first displayed element matching css, finding it again if the page redrew it meanwhile. */
    public void click(String css) {
        waitFor(d -> {
            find(css).click();
            return true;
        });
    }

    /** The text of the first displayed element matching css, read again if the page redrew it meanwhile. */
    public String text(String css) {
        return waitFor(d -> find(css).getText());
    }

    /** An attribute of the first displayed element matching css ("" when it has none), read as {@link #text} is. */
    public String attribute(String css, String name) {
        return waitFor(d -> {
            String value = find(css).getAttribute(name);
            return value == null ? "" : value;
        });
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Types text into a field after clearing it. */
    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Every URL the browser requested so far. */
    public List<String> requests() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            Matcher m = REQUEST_URL.matcher(entry.getMessage());
            if (m.find()) {
                requests.add(m.group(1));
            }
        }
        return List.copyOf(requests);
    }

    /**
     * Network requests (http, https, ws, wss) to any origin other than the given ones; the browser's
     * own chrome:// pages, data: and blob: URLs never leave the machine.
     */
    public List<String> requestsOutside(String... origins) {
        List<String> allowed = Stream.of(origins).map(Browser::origin).toList();
        return requests().stream().filter(u -> u.matches("(?i)(https?|wss?)://.*"))
                .filter(u -> !allowed.contains(origin(u))).toList();
    }

    /** Console entries at level SEVERE (JavaScript errors, CSP violations), except expected HTTP statuses. */
    public List<String> consoleErrors() {
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        return console.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).filter(m -> !EXPECTED_HTTP.matcher(m).matches()).toList();
    }

    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
