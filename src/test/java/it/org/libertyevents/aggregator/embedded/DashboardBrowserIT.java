package it.org.libertyevents.aggregator.embedded;

import it.org.libertyevents.aggregator.support.Api;
import it.org.libertyevents.aggregator.support.Browser;
import it.org.libertyevents.aggregator.support.Reply;
import it.org.libertyevents.aggregator.support.WebhookReceiver;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.microshed.testing.jupiter.MicroShedTest;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static it.org.libertyevents.aggregator.support.Browser.number;
import static it.org.libertyevents.aggregator.support.Browser.text;
import static it.org.libertyevents.aggregator.support.Browser.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard at {@code /} and the publisher page at {@code /publisher/} in a real browser (headless chromium):
 * the counters follow events published over HTTP, recent events filter by topic and show their payload, and a run
 * started from the publisher's form completes with its audit. The dashboard stays open in its own tab throughout
 * (reloaded once, which its chart survives with the server's history), so its screenshot at the end shows the run's
 * throughput and events; that is why the publisher test goes last (the tests do not depend on each other's order). Runs in the H2 suite only (once is enough).
 */
@MicroShedTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    /** The screenshots' size: the dashboard's counters, chart, health and first recent events. */
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 1400;
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    /** Rows the dashboard's recent events show unfiltered (the server holds many more). */
    private static final int RECENT_EVENTS = 15;

    private static ChromeDriver browser;
    private static String dashboardTab;

    @BeforeAll
    static void openDashboard() {
        Api.awaitReady();
        browser = Browser.start(WIDTH, HEIGHT);
        browser.get(Api.baseUrl() + "/");
        dashboardTab = browser.getWindowHandle();
    }

    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), Browser.consoleErrors(browser));
    }

    @AfterAll
    static void screenshotDashboard() {
        if (browser == null) {
            return;
        }
        try {
            browser.switchTo().window(dashboardTab);
            browser.findElement(By.id("topic-filter")).clear();
            browser.findElement(By.cssSelector("#filter-form button")).click();
            await().atMost(UI_TIMEOUT).until(() -> eventIds().size() == RECENT_EVENTS);
            Browser.screenshot(browser, "dashboard");
            assertEquals(List.of(), Browser.consoleErrors(browser));
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(1)
    void countersFollowPublishedEvents() {
        showDashboard();
        JsonObject before = Api.stats();
        await().atMost(UI_TIMEOUT).until(() -> number(browser, "c-received") >= received(before));

        // Ten events, two of them true duplicates (every fifth repeats the one before).
        String topic = Api.freshTopic("dashboard-counters");
        assertEquals(200, Api.publish(Api.batchWithDuplicates(topic, "c-", 0, 10)).status());

        await().atMost(UI_TIMEOUT).untilAsserted(() -> {
            assertTrue(number(browser, "c-received") >= received(before) + 10, () -> text(browser, "c-received"));
            assertTrue(number(browser, "c-unique") >= count(before, "unique_processed") + 8);
            assertTrue(number(browser, "c-duplicates") >= count(before, "duplicate_dropped") + 2);
        });
        assertTrue(text(browser, "ratio-all").endsWith("%"), text(browser, "ratio-all"));
        // The H2 suite's server: embedded database, no broker.
        assertEquals("UP", healthBadge("h-database"));
        assertEquals("H2", browser.findElement(By.cssSelector("#h-database .detail")).getText());
        assertEquals("OFF", healthBadge("h-broker"));
        assertTrue(text(browser, "meta").contains("open: anyone can publish"), "without API_KEYS it says so: "
                + text(browser, "meta"));
    }

    @Test
    @Order(2)
    void recentEventsFilterByTopicAndShowTheirPayload() {
        showDashboard();
        String topic = Api.freshTopic("dashboard-events");
        JsonObject chosen = Json.createObjectBuilder(Api.event(topic, "e-2"))
                .add("payload", Json.createObjectBuilder().add("order", 4711).add("item", "teapot")).build();
        Api.publish(Api.batch(Api.event(topic, "e-1"), chosen, Api.event(topic, "e-3")));
        // Newer than the three, in another topic: the filter has to leave it out.
        Api.publish(Api.batch(Api.event(Api.freshTopic("dashboard-other"), "x")));

        type(browser.findElement(By.id("topic-filter")), topic);
        browser.findElement(By.cssSelector("#filter-form button")).click();

        await().atMost(UI_TIMEOUT).until(() -> eventIds().equals(List.of("e-3", "e-2", "e-1")));
        assertEquals(List.of(topic, topic, topic), eventTopics());

        browser.findElement(By.xpath("//table[@id='events']//button[text()='e-2']")).click();
        WebElement dialog = browser.findElement(By.id("payload-dialog"));
        await().atMost(UI_TIMEOUT).until(dialog::isDisplayed);
        assertEquals("e-2", text(browser, "payload-title"));
        try (var reader = Json.createReader(new StringReader(text(browser, "payload-json")))) {
            assertEquals(chosen.getJsonObject("payload"), reader.readObject());
        }
        dialog.findElement(By.className("close")).click();
        await().atMost(UI_TIMEOUT).until(() -> !dialog.isDisplayed());
    }

    @Test
    @Order(3)
    void theSubscriptionsCardShowsEachSubscriptionsDelivery() throws Exception {
        showDashboard();
        try (WebhookReceiver receiver = new WebhookReceiver(attempt -> WebhookReceiver.Answer.TAKE, 0)) {
            String topic = Api.freshTopic("dashboard-webhooks");
            Reply made = Api.sendTo(Api.baseUrl(), "POST", "/subscriptions", Json.createObjectBuilder()
                    .add("url", receiver.url()).add("topics", Json.createArrayBuilder().add(topic)).build().toString());
            assertEquals(201, made.status(), made.brief());
            receiver.secret(made.json().getString("secret"));
            String id = made.json().getString("id");
            try {
                assertEquals(200, Api.publish(Api.batch(Api.event(topic, "w-1"), Api.event(topic, "w-2"))).status());
                await().atMost(UI_TIMEOUT).until(() -> receiver.taken().size() == 2);

                WebElement card = browser.findElement(By.id("subscriptions-card"));
                await().atMost(UI_TIMEOUT).until(card::isDisplayed);
                By row = By.xpath("//table[@id='subscriptions']//tr[td[1][text()='" + receiver.url() + "']]/td");
                // The card redraws its table on every refresh: a cell found before a redraw is gone by its read.
                await().atMost(UI_TIMEOUT).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
                    List<String> cells = browser.findElements(row).stream().map(WebElement::getText).toList();
                    assertTrue(cells.size() >= 6, () -> "the row is not there yet: " + cells);
                    assertEquals(List.of(receiver.url(), topic, "active", "2", "0", "0"), cells.subList(0, 6),
                            cells::toString);
                });
            } finally {
                Api.deleteAt(Api.baseUrl(), "/subscriptions/" + id, Map.of());
            }
        }
    }

    @Test
    @Order(4)
    void aReloadShowsTheThroughputTheServerKept() {
        showDashboard();
        long from = Instant.now().getEpochSecond() - 1;
        // Ten events, two of them true duplicates.
        String topic = Api.freshTopic("dashboard-history");
        assertEquals(200, Api.publish(Api.batchWithDuplicates(topic, "h-", 0, 10)).status());
        // In the server's history once its sampler has passed the second they were committed in.
        await().atMost(UI_TIMEOUT).untilAsserted(() -> {
            long[] since = historySince(from);
            assertTrue(since[0] >= 10 && since[1] >= 8 && since[2] >= 2, () -> Arrays.toString(since));
        });

        browser.navigate().refresh();
        // "Live" is shown once the first /stats poll answered: the polls alone have drawn nothing yet, and
        // whatever they draw next covers the time since the reload, when nothing was published.
        await().atMost(UI_TIMEOUT).until(() -> text(browser, "live-text").startsWith("Live"));
        List<double[]> points = chartPoints();
        double unique = points.stream().mapToDouble(p -> p[1]).sum();
        double duplicates = points.stream().mapToDouble(p -> p[2]).sum();
        assertTrue(unique >= 8 && duplicates >= 2, () -> "right after the reload the chart holds " + points.size()
                + " points, " + unique + " stored and " + duplicates + " dropped");
        // The last minute's duplicate ratio too, from the same history: its two duplicates make it more than 0%.
        String recent = text(browser, "ratio-recent");
        assertTrue(recent.endsWith("%") && !recent.matches("0(\\D0)*\\s?%"),
                () -> "last minute right after the reload: " + recent);
    }

    @Test
    @Order(5)
    void theStorageCardShowsWhatTheLastRetentionPassRead() {
        showDashboard();
        await().atMost(UI_TIMEOUT).untilAsserted(() -> {
            JsonObject storage = Api.stats().getJsonObject("storage");
            assertEquals(storage.getJsonNumber("payload_rows").longValue(), number(browser, "s-payloads"));
            assertEquals(storage.getJsonNumber("key_rows").longValue(), number(browser, "s-keys"));
            assertEquals(storage.isNull("next_expiry"), text(browser, "s-expiry").equals("none scheduled"),
                    () -> storage + " shown as " + text(browser, "s-expiry"));
        });
    }

    @Test
    @Order(6)
    void publisherPageStartsARunAndShowsItsAudit() {
        // A window of its own rather than a tab: a background tab's timers are throttled, and the dashboard is to
        // keep polling while the run goes.
        browser.switchTo().newWindow(WindowType.WINDOW);
        try {
            browser.manage().window().setSize(new Dimension(WIDTH, HEIGHT));
            browser.get(Api.baseUrl() + "/publisher/");
            type(browser.findElement(By.id("count")), "3000");
            type(browser.findElement(By.id("duplicate_ratio")), "0.25");
            type(browser.findElement(By.id("topics")), "orders, payments, shipments, returns");
            type(browser.findElement(By.id("batch_size")), "50");
            // Paced over some seconds, so that the dashboard's chart has something to show.
            type(browser.findElement(By.id("rate")), "200");
            type(browser.findElement(By.id("target")), Api.baseUrl());
            browser.findElement(By.id("start")).click();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> List.of("succeeded", "failed", "cancelled").contains(text(browser, "run-state")));
            assertEquals("succeeded", text(browser, "run-state"), () -> text(browser, "run-error"));
            assertEquals("✓ Exactly once", text(browser, "audit-verdict"));
            assertEquals(2250, number(browser, "a-expected-unique"));
            assertEquals(2250, number(browser, "a-stats-unique"));
            assertEquals(750, number(browser, "a-stats-duplicates"));
            assertEquals("3,000 / 3,000", text(browser, "f-sent"));
            await().atMost(UI_TIMEOUT).until(() -> !browser.findElements(By.cssSelector("#runs tr")).isEmpty());
            Browser.screenshot(browser, "publisher");
            assertEquals(List.of(), Browser.consoleErrors(browser));
        } finally {
            browser.close();
            browser.switchTo().window(dashboardTab);
        }
    }

    /**
     * Sums of the server's per-second history from {@code second} on: received, stored, dropped. Checks on the way
     * that its points are in time order and within its window.
     */
    private static long[] historySince(long second) {
        Reply reply = Api.get("/stats/history");
        assertEquals(200, reply.status(), reply::brief);
        JsonObject history = reply.json();
        int window = history.getInt("window_seconds");
        assertEquals(600, window, "STATS_HISTORY_MINUTES' default, 10 minutes");
        long[] sums = new long[3];
        long previous = Long.MIN_VALUE;
        for (JsonObject point : history.getJsonArray("points").getValuesAs(JsonObject.class)) {
            long at = Instant.parse(point.getString("second")).getEpochSecond();
            assertTrue(at > previous, history::toString);
            previous = at;
            if (at >= second) {
                sums[0] += point.getJsonNumber("received").longValue();
                sums[1] += point.getJsonNumber("unique_processed").longValue();
                sums[2] += point.getJsonNumber("duplicate_dropped").longValue();
            }
        }
        assertTrue(history.getJsonArray("points").size() <= window);
        return sums;
    }

    /** The points the dashboard's chart holds, as {time, stored, dropped}, read from its module. */
    private static List<double[]> chartPoints() {
        Object points = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import(new URL('ui/dashboard.js', document.baseURI))
                    .then(m => m.chart.points.map(p => [p.time, p.unique, p.duplicates]))
                    .then(done, e => done(String(e)));
                """);
        if (!(points instanceof List<?> list)) {
            throw new AssertionError("could not read the chart: " + points);
        }
        return list.stream().map(point -> ((List<?>) point).stream()
                .mapToDouble(value -> ((Number) value).doubleValue()).toArray()).toList();
    }

    private static void showDashboard() {
        browser.switchTo().window(dashboardTab);
    }

    private static String healthBadge(String id) {
        String badge = "#" + id + " .badge";
        return await().atMost(UI_TIMEOUT).until(() -> Browser.texts(browser, badge),
                texts -> !texts.isEmpty() && !texts.get(0).equals("…")).get(0);
    }

    private static List<String> eventIds() {
        return Browser.texts(browser, "#events tbody .event-link");
    }

    private static List<String> eventTopics() {
        return Browser.texts(browser, "#events tbody td.topic");
    }

    private static long received(JsonObject stats) {
        return count(stats, "received");
    }

    private static long count(JsonObject stats, String name) {
        return stats.getJsonNumber(name).longValue();
    }
}
