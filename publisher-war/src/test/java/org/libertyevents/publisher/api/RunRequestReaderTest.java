package org.libertyevents.publisher.api;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.libertyevents.publisher.run.RunSettings;
import org.libertyevents.publisher.send.TargetAllowList;

import java.io.StringReader;
import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run requests: defaults, every setting honoured, and every bad value reported at once. */
class RunRequestReaderTest {

    private static final URI DEFAULT_TARGET = URI.create("http://localhost:9080");
    private static final TargetAllowList ALLOWED = TargetAllowList.parse(DEFAULT_TARGET, "http://127.0.0.1:9180");

    private static RunRequestReader reader() {
        return new RunRequestReader(DEFAULT_TARGET, ALLOWED, 10_000_000);
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    @Test
    void emptyRequestGetsTheDocumentedDefaults() {
        RunSettings settings = reader().read(json("{}"));
        assertEquals(20_000, settings.count());
        assertEquals(0.2, settings.duplicateRatio());
        assertEquals(List.of("topic-0", "topic-1", "topic-2", "topic-3"), settings.topics());
        assertEquals(100, settings.batchSize());
        assertEquals(4, settings.concurrency());
        assertEquals(0, settings.rate());
        assertFalse(settings.async());
        assertEquals(DEFAULT_TARGET, settings.target());
    }

    @Test
    void everySettingIsHonoured() {
        RunSettings settings = reader().read(json("""
                {"count": 500, "duplicate_ratio": 0.3, "topics": ["a", "b"], "batch_size": 1,
                 "concurrency": 8, "rate": 250.5, "mode": "async", "seed": 42, "target": "http://127.0.0.1:9180"}"""));
        assertEquals(new RunSettings(500, 0.3, List.of("a", "b"), 1, 8, 250.5, true, 42,
                URI.create("http://127.0.0.1:9180")), settings);
    }

    @Test
    void topicsAsANumberNamesThatManyTopics() {
        assertEquals(List.of("topic-0", "topic-1"),
                reader().read(json("{\"topics\": 2}")).topics());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"count\": 0}|count must be a whole number from 1 to 10000000",
            "{\"count\": 1.5}|count must be a whole number from 1 to 10000000",
            "{\"duplicate_ratio\": 1}|duplicate_ratio must be at least 0 and less than 1",
            "{\"duplicate_ratio\": \"x\"}|duplicate_ratio must be a number",
            "{\"topics\": []}|topics must be a number from 1 to 1000 or an array of topic names",
            "{\"topics\": [\" \"]}|topics must hold non-blank names of at most 255 characters",
            "{\"batch_size\": 10001}|batch_size must be a whole number from 1 to 10000",
            "{\"concurrency\": 0}|concurrency must be a whole number from 1 to 64",
            "{\"rate\": -1}|rate must be a positive number of events per second",
            "{\"mode\": \"fast\"}|mode must be \"sync\" or \"async\"",
            "{\"seed\": \"abc\"}|seed must be a whole number",
            "{\"target\": \"ftp://host\"}|target must be an http or https URL, such as http://localhost:9080",
            "{\"target\": \"http://user:pw@localhost:9080\"}|target must be an http or https URL, such as http://localhost:9080",
            "{\"target\": \"http://localhost:9080/?x=1\"}|target must be an http or https URL, such as http://localhost:9080",
            "{\"target\": \"http://127.0.0.1:18777\"}|target is not among the allowed targets (PUBLISHER_TARGETS)",
            "{\"target\": \"https://localhost:9080\"}|target is not among the allowed targets (PUBLISHER_TARGETS)",
            "{\"target\": \"http://169.254.169.254\"}|target is not among the allowed targets (PUBLISHER_TARGETS)"})
    void badValuesAreReported(String body, String error) {
        RunRequestReader reader = reader();
        assertNull(reader.read(json(body)));
        assertEquals(List.of(error), reader.errors());
    }

    @Test
    void allProblemsAreReportedTogether() {
        RunRequestReader reader = reader();
        assertNull(reader.read(json("{\"count\": -1, \"mode\": 3, \"concurrency\": 100}")));
        assertEquals(3, reader.errors().size(), reader.errors().toString());
        assertTrue(reader.errors().contains("mode must be a string"));
    }

    @Test
    void anAllowedTargetIsTakenAsWritten() {
        assertEquals(URI.create("HTTP://127.0.0.1:9180/base"),
                reader().read(json("{\"target\": \"HTTP://127.0.0.1:9180/base\"}")).target());
    }

    @Test
    void countIsBoundedByTheSetting() {
        RunRequestReader reader = new RunRequestReader(DEFAULT_TARGET, ALLOWED, 1_000);
        assertNull(reader.read(json("{\"count\": 1001}")));
        assertEquals(List.of("count must be a whole number from 1 to 1000"), reader.errors());
        assertEquals(1_000, new RunRequestReader(DEFAULT_TARGET, ALLOWED, 1_000).read(json("{}")).count());
    }
}
