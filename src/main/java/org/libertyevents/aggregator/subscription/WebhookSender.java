package org.libertyevents.aggregator.subscription;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.libertyevents.aggregator.config.SubscriptionSettings;
import org.libertyevents.aggregator.store.Subscription;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * POSTs webhook messages with the Standard Webhooks headers (and the W3C trace context the events were published
 * in), asynchronously (no thread waits on a receiver), on the
 * application's managed executor. Redirects are not followed (a 3xx is a failure, as with Stripe and Svix), and a
 * target is checked again for internal addresses before each POST, since its name may resolve elsewhere by now.
 */
@ApplicationScoped
public class WebhookSender {

    private static final String USER_AGENT = "liberty-event-aggregator-webhooks/1";

    @Resource
    private ManagedExecutorService executor;

    @Inject
    private SubscriptionSettings settings;

    private HttpClient client;

    @PostConstruct
    void start() {
        client = HttpClient.newBuilder().executor(executor).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** What became of one POST. */
    record Outcome(int status, Duration retryAfter, String error) {

        boolean delivered() {
            return status >= 200 && status < 300;
        }

        boolean gone() {
            return status == 410;
        }
    }

    /** POSTs a message of a subscription, signed now. The future never fails: a failure is an outcome. */
    CompletableFuture<Outcome> send(Subscription subscription, WebhookMessage message, Instant now) {
        URI target = URI.create(subscription.url());
        if (!settings.allowPrivateTargets()) {
            String refusal = WebhookTargets.internal(target.getHost());
            if (refusal != null) {
                return CompletableFuture.completedFuture(new Outcome(0, null, "not sent: the host " + refusal));
            }
        }
        long timestamp = now.getEpochSecond();
        List<String> secrets = new ArrayList<>(List.of(subscription.secret()));
        if (subscription.previousSecret() != null && subscription.previousUntil() != null
                && now.isBefore(subscription.previousUntil())) {
            secrets.add(subscription.previousSecret());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", message.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(message.id(), timestamp, message.body(), secrets))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        if (message.trace() != null) {
            // The producer's trace context, so that the receiver's work joins the trace the event was published in.
            request.header("traceparent", message.trace().traceparent());
            if (message.trace().tracestate() != null) {
                request.header("tracestate", message.trace().tracestate());
            }
        }
        try {
            return client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .handle((response, failure) -> failure == null
                            ? new Outcome(response.statusCode(), retryAfter(response, now),
                                    "HTTP " + response.statusCode())
                            : new Outcome(0, null, describe(failure)));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome(0, null, describe(e)));
        }
    }

    private String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + settings.timeout();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The receiver's Retry-After, in seconds or as an HTTP date; null if absent or not understood. */
    static Duration retryAfter(HttpResponse<?> response, Instant now) {
        return response.headers().firstValue("Retry-After").map(value -> retryAfter(value.strip(), now))
                .orElse(null);
    }

    static Duration retryAfter(String value, Instant now) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            try {
                Duration until = Duration.between(now,
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
