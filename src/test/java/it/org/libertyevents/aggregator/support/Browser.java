package it.org.libertyevents.aggregator.support;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

/**
 * Headless Debian chromium driven through Debian's chromedriver. Both paths are given to Selenium, so Selenium
 * Manager never runs (it would try to download a browser). Without them the test is skipped on a developer
 * machine and fails in CI ({@code CI} set), where {@code .ci/run} installs them.
 */
public final class Browser {

    private static final String CHROMIUM = System.getProperty("it.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("it.chromedriver", "/usr/bin/chromedriver");

    private Browser() {
    }

    /** A new headless browser with a window of the given size; fails or skips when chromium is missing. */
    public static ChromeDriver start(int width, int height) {
        boolean installed = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        if (!installed && System.getenv("CI") != null) {
            throw new AssertionError("the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install chromium chromium-driver (.ci/run does)");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // Without the networking switches chromium waits on background connections this machine refuses.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--force-device-scale-factor=1", "--lang=en-US",
                "--user-data-dir=" + temporaryProfile());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return driver;
    }

    /** The console's errors since the last call (failed requests, uncaught exceptions). */
    public static List<String> consoleErrors(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** The text of the element with this id (read in one script call, like {@link #texts}). */
    public static String text(ChromeDriver driver, String id) {
        List<String> texts = texts(driver, "#" + id);
        if (texts.isEmpty()) {
            throw new IllegalStateException("no element #" + id);
        }
        return texts.get(0);
    }

    /**
     * The texts of every element matching {@code css}, read in one script call: the page re-renders its tables
     * while it polls, so elements found first and read one by one can be gone in between.
     */
    public static List<String> texts(ChromeDriver driver, String css) {
        List<?> texts = (List<?>) driver.executeScript(
                "return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText.trim())", css);
        return texts.stream().map(String.class::cast).toList();
    }

    /** The whole number an element shows, its digit grouping removed; -1 while it shows none. */
    public static long number(ChromeDriver driver, String id) {
        String digits = text(driver, id).replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    /** Replaces an input's value, as a user would type it. */
    public static void type(WebElement input, String value) {
        input.clear();
        input.sendKeys(value);
    }

    /** Saves what the window shows as a PNG under target/screenshots and returns its path. */
    public static Path screenshot(ChromeDriver driver, String name) {
        try {
            Path file = Path.of("target", "screenshots", name + ".png");
            Files.createDirectories(file.getParent());
            return Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh profile under target/, so that nothing of an earlier run (cache, storage) carries over. */
    private static String temporaryProfile() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, "chromium-profile-").toAbsolutePath().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
