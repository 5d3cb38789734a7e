package org.libertyevents.aggregator.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerSettingsTest {

    @Test
    void theRedisPasswordNeverAppearsInTheSettingsText() {
        assertEquals("redis://***@redis:6379/0", BrokerSettings.redact("redis://user:s3cret@redis:6379/0"));
        assertEquals("rediss://***@redis:6380", BrokerSettings.redact("rediss://:p@ss@redis:6380"));
        assertEquals("redis://redis:6379", BrokerSettings.redact("redis://redis:6379"));
        String text = settings("redis://default:s3cret@127.0.0.1:6379").toString();
        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("127.0.0.1:6379"), text);
    }

    @Test
    void anUnparsableUrlIsRefusedWithoutRepeatingIt() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> settings("redis://default:s3cret word@127.0.0.1:6379").uri());
        assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
    }

    private static BrokerSettings settings(String url) {
        return new BrokerSettings(Optional.of(url), "stream", "group", "consumer", 2, 16, Duration.ofSeconds(2), 500,
                0, Duration.ofSeconds(30), 10, Duration.ofSeconds(2), 32, Duration.ofSeconds(5));
    }
}
