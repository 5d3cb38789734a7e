package org.libertyevents.publisher.api;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Gives every request body an overall deadline, {@code HTTP_BODY_DEADLINE} from when the request reaches the
 * application: reads after it fail with {@link DeadlineInputStream.Expired}, which the run resource answers with
 * 408. Together with Liberty's {@code readTimeout} (a stall of at most {@code HTTP_READ_TIMEOUT}), a slow client
 * holds a thread for at most the sum of the two.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class BodyDeadlineFilter implements Filter {

    private static final Pattern SECONDS = Pattern.compile("(\\d+)s?");

    @Inject
    @ConfigProperty(name = "http.body.deadline", defaultValue = "60s")
    private String deadline;

    private volatile Duration parsed;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long deadlineNanos = System.nanoTime() + deadline().toNanos();
        chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {
            private ServletInputStream body;

            @Override
            public ServletInputStream getInputStream() throws IOException {
                if (body == null) {
                    body = new DeadlineInputStream(super.getInputStream(), deadlineNanos);
                }
                return body;
            }
        }, response);
    }

    private Duration deadline() {
        if (parsed == null) {
            parsed = parse(deadline);
        }
        return parsed;
    }

    /** Seconds ({@code 30} or {@code 30s}) or an ISO-8601 duration ({@code PT30S}); at least one second. */
    static Duration parse(String text) {
        String value = text.strip();
        var seconds = SECONDS.matcher(value);
        Duration duration = seconds.matches() ? Duration.ofSeconds(Long.parseLong(seconds.group(1)))
                : Duration.parse(value);
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("http.body.deadline must be at least 1 second: " + text);
        }
        return duration;
    }
}
