package it.org.libertyevents.aggregator.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server on 127.0.0.1 and an ephemeral port that records every request it gets and answers each with
 * the same status (and {@code Location}, for a redirect): it stands for a host of the network a caller should not
 * be able to reach through the publisher, or one it may.
 */
public final class RecordingListener implements AutoCloseable {

    /**
     * One request as it arrived.
     *
     * @param method        the request method
     * @param path          the path and query
     * @param authorization the {@code Authorization} header, or null
     * @param apiKey        the {@code X-API-Key} header, or null
     */
    public record Request(String method, String path, String authorization, String apiKey) {

        public boolean carriesAKey() {
            return authorization != null || apiKey != null;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private RecordingListener(int status, String location) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> answer(exchange, status, location));
        server.start();
    }

    /** A listener answering every request with {@code status} and an empty JSON object. */
    public static RecordingListener answering(int status) {
        return new RecordingListener(status, null);
    }

    /** A listener redirecting every request (307) to the same path at {@code base}. */
    public static RecordingListener redirectingTo(String base) {
        return new RecordingListener(307, base);
    }

    /** Its base URL, such as {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange, int status, String location) throws IOException {
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("X-API-Key")));
        exchange.getRequestBody().readAllBytes();
        if (location != null) {
            exchange.getResponseHeaders().set("Location", location + exchange.getRequestURI());
        }
        byte[] body = "{}".getBytes();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
