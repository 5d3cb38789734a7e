package org.libertyevents.aggregator.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.libertyevents.aggregator.deploy.DeployFiles.NGINX;
import static org.libertyevents.aggregator.deploy.DeployFiles.PROJECT;

/**
 * The entry point's nginx.conf: it names no version, bounds bodies and slow clients in line with the aggregator,
 * and sends {@code X-Content-Type-Options} once on every answer. Read as text, since there is no nginx to ask.
 */
class GatewayConfigTest {

    private static final Pattern MAX_BODY_DEFAULT =
            Pattern.compile("name = \"publish\\.max\\.body\\.bytes\", defaultValue = \"(\\d+)\"");

    @Test
    void theGatewayNamesNoVersion() {
        assertEquals(List.of("off"), directive("server_tokens"));
    }

    /** Bounded, and not below the aggregator's own limit, so that its 413 problem document is what clients get. */
    @Test
    void theBodyLimitIsBoundedAndJustAboveTheAggregators() throws IOException {
        Matcher aggregator = MAX_BODY_DEFAULT.matcher(Files.readString(
                PROJECT.resolve("src/main/java/org/libertyevents/aggregator/config/SettingsProducer.java")));
        assertTrue(aggregator.find(), "the aggregator's default PUBLISH_MAX_BODY_BYTES");
        long aggregatorLimit = Long.parseLong(aggregator.group(1));
        long gatewayLimit = bytes(single("client_max_body_size"));
        assertTrue(gatewayLimit > 0, "0 is no limit at all");
        assertTrue(gatewayLimit >= aggregatorLimit && gatewayLimit <= 2 * aggregatorLimit,
                gatewayLimit + " bytes against the aggregator's " + aggregatorLimit);
    }

    @Test
    void slowClientsAreCutOff() {
        for (String timeout : List.of("client_header_timeout", "client_body_timeout", "send_timeout")) {
            assertTrue(seconds(single(timeout)) <= 30, timeout + " " + single(timeout));
        }
    }

    /** The gateway's own error pages need the header too; the services' copy is hidden so it is never doubled. */
    @Test
    void everyAnswerCarriesNosniffOnce() {
        assertTrue(directive("add_header").contains("X-Content-Type-Options nosniff always"), directive("add_header")
                .toString());
        assertTrue(directive("proxy_hide_header").contains("X-Content-Type-Options"));
    }

    /** The arguments of every occurrence of {@code name}, comments left out. */
    private static List<String> directive(String name) {
        Pattern pattern = Pattern.compile("^" + name + "\\s+([^;]+);$");
        return DeployFiles.lines(NGINX).stream().map(pattern::matcher).filter(Matcher::matches)
                .map(m -> m.group(1).trim()).toList();
    }

    private static String single(String name) {
        List<String> values = directive(name);
        assertEquals(1, values.size(), name + " once in " + NGINX);
        return values.get(0);
    }

    /** An nginx size: bytes, or with k or m. */
    private static long bytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([kKmM]?)").matcher(size);
        assertTrue(m.matches(), size);
        long unit = switch (m.group(2).toLowerCase()) {
            case "k" -> 1024L;
            case "m" -> 1024L * 1024;
            default -> 1L;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    /** An nginx time in seconds: a number of seconds, or with s or m. */
    private static long seconds(String time) {
        Matcher m = Pattern.compile("(\\d+)([sm]?)").matcher(time);
        assertTrue(m.matches(), time);
        return Long.parseLong(m.group(1)) * ("m".equals(m.group(2)) ? 60 : 1);
    }
}
