package org.libertyevents.aggregator.api;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.eclipse.microprofile.config.ConfigProvider;
import org.libertyevents.aggregator.intake.BodyDeadlineExceededException;
import org.libertyevents.aggregator.intake.InvalidRequest;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An overall deadline for reading a request body ({@code HTTP_BODY_DEADLINE}, from when the request
 * reaches the application). Liberty's read timeout restarts with every read, so a client sending one byte just
 * inside it would hold a connection and a thread for days; past the deadline the next read fails and the request is
 * answered 408. A read blocked on a silent client still ends by the read timeout, so a request holds its thread for
 * at most the deadline plus the read timeout.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class BodyDeadlineFilter implements Filter {

    private static final Pattern SECONDS = Pattern.compile("(\\d+)s?");

    private long deadlineNanos;

    @Override
    public void init(FilterConfig config) {
        deadlineNanos = parse(ConfigProvider.getConfig().getOptionalValue("http.body.deadline", String.class)
                .orElse("60s")).toNanos();
    }

    /** Seconds ({@code 60} or {@code 60s}) or an ISO-8601 duration ({@code PT1M}); at least one second. */
    static Duration parse(String text) {
        String value = text.strip();
        Matcher seconds = SECONDS.matcher(value);
        Duration duration = seconds.matches() ? Duration.ofSeconds(Long.parseLong(seconds.group(1)))
                : Duration.parse(value);
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("HTTP_BODY_DEADLINE must be at least 1 second: " + text);
        }
        return duration;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            chain.doFilter(new Deadlined(http, System.nanoTime() + deadlineNanos), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The answer to a body that did not arrive in time; the connection is not kept, the rest is never read. */
    static Problem problem() {
        return Problem.of(InvalidRequest.timedOut());
    }

    private static final class Deadlined extends HttpServletRequestWrapper {
        private final long deadline;
        private ServletInputStream stream;

        Deadlined(HttpServletRequest request, long deadline) {
            super(request);
            this.deadline = deadline;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new DeadlinedStream(super.getInputStream(), deadline);
            }
            return stream;
        }
    }

    private static final class DeadlinedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long deadline;

        DeadlinedStream(ServletInputStream in, long deadline) {
            this.in = in;
            this.deadline = deadline;
        }

        /** Before a read and after it: a read may have waited up to the read timeout. */
        private void check() throws BodyDeadlineExceededException {
            if (System.nanoTime() - deadline > 0) {
                throw new BodyDeadlineExceededException();
            }
        }

        @Override
        public int read() throws IOException {
            check();
            int b = in.read();
            check();
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            check();
            // Liberty's read of a chunked body waits until it has all it was asked for: ask only for what has
            // arrived (at least one byte), so that control comes back here, and to the deadline, as bytes arrive.
            int n = in.read(buffer, offset, length == 0 ? 0 : Math.min(length, Math.max(1, in.available())));
            check();
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
