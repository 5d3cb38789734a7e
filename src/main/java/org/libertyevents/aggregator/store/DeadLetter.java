package org.libertyevents.aggregator.store;

import java.time.Instant;

/**
 * An event a subscription gave up delivering after its retry horizon.
 *
 * @param webhookId the {@code webhook-id} its deliveries carried
 * @param attempts  how many times it was tried
 */
public record DeadLetter(String webhookId, String topic, String eventId, Instant failedAt, int attempts,
                         String lastError) {
}
