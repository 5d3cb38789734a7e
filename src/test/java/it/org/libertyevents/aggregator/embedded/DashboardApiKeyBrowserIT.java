package it.org.libertyevents.aggregator.embedded;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Browser;
import it.org.libertyevents.aggregator.support.Instances;
import it.org.libertyevents.aggregator.support.Reply;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.microshed.testing.jupiter.MicroShedTest;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static it.org.libertyevents.aggregator.support.Browser.number;
import static it.org.libertyevents.aggregator.support.Browser.text;
import static it.org.libertyevents.aggregator.support.Browser.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard of an aggregator whose reads need an API key ({@code API_KEYS_PROTECT_READS}), in headless
 * chromium: it shows no figures and asks for a key, says so when a key is refused, and once given a valid key shows
 * the instance's exact counters and its events, and keeps the key for the tab across a reload. The instance is one
 * of the test's own with its own embedded database, so its counters are this test's alone.
 */
@MicroShedTest
class DashboardApiKeyBrowserIT {

    private static final int INSTANCE = 10;
    private static final String KEY = "dashboard-key";
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final String REFUSED = "That key was refused; check it and try again.";

    private static String secured;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() {
        Api.awaitReady();
        secured = Instances.start(INSTANCE, Map.of("API_KEYS", KEY, "API_KEYS_PROTECT_READS", "true"));
        browser = Browser.start(1280, 900);
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            Instances.stop(INSTANCE);
        }
    }

    @Test
    void theDashboardAsksForAKeyAndShowsTheFiguresOnlyWithAValidOne() {
        JsonObject before = stats();
        // Five events, one of them a true duplicate (every fifth repeats the one before).
        String topic = Api.freshTopic("dashboard-key");
        Reply published = Api.publishWithHeadersTo(secured, "application/json",
                Api.batchWithDuplicates(topic, "k-", 0, 5), Map.of("X-API-Key", KEY));
        assertEquals(200, published.status(), published.brief());

        browser.get(secured + "/");
        WebElement panel = browser.findElement(By.id("key-panel"));
        await().atMost(UI_TIMEOUT).until(panel::isDisplayed);
        assertEquals("", text(browser, "key-error"), "no key was given yet, so none was refused");
        assertEquals(-1, number(browser, "c-received"), "no figures without a key");
        assertEquals(List.of(), eventIds());

        submitKey("not-" + KEY);
        await().atMost(UI_TIMEOUT).until(() -> text(browser, "key-error").equals(REFUSED));
        assertTrue(panel.isDisplayed());
        assertEquals(-1, number(browser, "c-received"));

        submitKey(KEY);
        await().atMost(UI_TIMEOUT).until(() -> !panel.isDisplayed());
        await().atMost(UI_TIMEOUT).untilAsserted(() -> {
            assertEquals(count(before, "received") + 5, number(browser, "c-received"));
            assertEquals(count(before, "unique_processed") + 4, number(browser, "c-unique"));
            assertEquals(count(before, "duplicate_dropped") + 1, number(browser, "c-duplicates"));
        });
        await().atMost(UI_TIMEOUT).until(() -> eventIds().containsAll(List.of("k-0", "k-1", "k-2", "k-3")));
        assertFalse(browser.findElement(By.id("meta")).getText().contains("open"), "keys are set");

        // The key lives in the tab's session storage: a reload neither asks again nor loses the figures.
        browser.navigate().refresh();
        await().atMost(UI_TIMEOUT).until(() -> number(browser, "c-received") == count(before, "received") + 5);
        assertFalse(browser.findElement(By.id("key-panel")).isDisplayed());

        // The only console errors are the refused reads themselves (chromium logs every 401 response).
        List<String> errors = Browser.consoleErrors(browser);
        assertFalse(errors.isEmpty(), "the reads without a key were refused");
        assertEquals(List.of(), errors.stream().filter(error -> !error.contains("401")).toList());
    }

    private static void submitKey(String key) {
        type(browser.findElement(By.id("key-input")), key);
        browser.findElement(By.cssSelector("#key-form button")).click();
    }

    private static List<String> eventIds() {
        return Browser.texts(browser, "#events tbody .event-link");
    }

    /** The instance's counters, read with the key (reads are protected). */
    private static JsonObject stats() {
        assertEquals(401, Api.getFrom(secured, "/stats").status(), "reads need the key");
        Reply reply = Api.getFrom(secured, "/stats", Map.of("X-API-Key", KEY));
        assertEquals(200, reply.status(), reply.brief());
        return reply.json();
    }

    private static long count(JsonObject stats, String name) {
        return stats.getJsonNumber(name).longValue();
    }
}
