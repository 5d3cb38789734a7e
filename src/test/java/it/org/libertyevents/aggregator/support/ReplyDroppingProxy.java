package it.org.libertyevents.aggregator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on loopback between a server under test and its Redis that can lose one answer: {@link #dropReplyTo}
 * a command containing a given text lets the command through to Redis and cuts the connection when Redis answers,
 * so the command takes effect and its client sees a broken connection, as when a network or Redis dies right after
 * the write. Everything else passes through unchanged.
 *
 * <pre>{@code
 * try (ReplyDroppingProxy proxy = ReplyDroppingProxy.to(6379)) {
 *     String url = proxy.url();          // redis://127.0.0.1:<ephemeral port>
 *     proxy.dropReplyTo("some-topic");   // the next command mentioning it takes effect, its answer is lost
 * }
 * }</pre>
 */
public final class ReplyDroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final AtomicReference<String> armed = new AtomicReference<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int dropped;

    private ReplyDroppingProxy(ServerSocket listener, int upstreamPort) {
        this.listener = listener;
        this.upstreamPort = upstreamPort;
    }

    /** A proxy to the Redis on 127.0.0.1 at {@code upstreamPort}, listening on a free loopback port. */
    public static ReplyDroppingProxy to(int upstreamPort) {
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            ReplyDroppingProxy proxy = new ReplyDroppingProxy(listener, upstreamPort);
            Thread accepting = new Thread(proxy::accept, "reply-dropping-proxy");
            accepting.setDaemon(true);
            accepting.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + listener.getLocalPort();
    }

    /** Loses the answer of the next command whose bytes contain {@code text}; one command only. */
    public void dropReplyTo(String text) {
        armed.set(text);
    }

    /** Answers lost so far. */
    public int dropped() {
        return dropped;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                open.add(client);
                open.add(server);
                Connection connection = new Connection(client, server);
                start(() -> connection.pump(client, server, true), "to-redis");
                start(() -> connection.pump(server, client, false), "from-redis");
            } catch (IOException e) {
                // Closed, or Redis refused: the client sees its connection fail, as it would without the proxy.
            }
        }
    }

    private static void start(Runnable work, String name) {
        Thread thread = new Thread(work, "reply-dropping-proxy-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    /** One client connection and its connection to Redis. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        private volatile boolean doomed;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, boolean toRedis) {
            byte[] buffer = new byte[64 * 1024];
            // The tail of the previous read, so that a text split across two reads is still found.
            String tail = "";
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!toRedis && doomed) {
                        dropped++;
                        break;
                    }
                    if (toRedis) {
                        String text = armed.get();
                        String seen = tail + new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                        if (text != null && seen.contains(text) && armed.compareAndSet(text, null)) {
                            doomed = true;
                        }
                        tail = seen.substring(Math.max(0, seen.length() - 256));
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // The other side closed.
            } finally {
                closeBoth();
            }
        }

        private void closeBoth() {
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // already closed
                }
                open.remove(socket);
            }
        }
    }
}
