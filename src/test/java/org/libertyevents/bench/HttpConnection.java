package org.libertyevents.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection used by one load-generator thread at a time: a blocking socket and a
 * hand-written request and response framing (Content-Length or chunked). The JDK's HttpClient costs several times
 * more CPU per request, and on a 2-core machine the load generator's CPU is taken from the server it measures.
 */
final class HttpConnection implements Closeable {

    private static final int TIMEOUT_MILLIS = 60_000;

    private final URI base;
    private final byte[] publishHead;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    /** @param async whether publish requests carry {@code Prefer: respond-async} */
    HttpConnection(String baseUrl, boolean async) {
        this.base = URI.create(baseUrl);
        String head = "POST " + path("/publish") + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: application/json\r\n" + (async ? "Prefer: respond-async\r\n" : "")
                + "Content-Length: ";
        this.publishHead = head.getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one publish request and reads its whole answer. */
    Reply publish(byte[] body) throws IOException {
        connect();
        out.write(publishHead);
        out.write(Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
        out.write('\r');
        out.write('\n');
        out.write(body);
        out.flush();
        return read();
    }

    private String path(String path) {
        String root = base.getPath() == null ? "" : base.getPath();
        return (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path;
    }

    private void connect() throws IOException {
        if (socket != null) {
            return;
        }
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), TIMEOUT_MILLIS);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    private Reply read() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).strip();
            String value = header.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                close = value.equalsIgnoreCase("close");
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(chunked ? 4096 : (int) Math.max(length, 0));
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0;
                 size = Integer.parseInt(line().split(";")[0].strip(), 16)) {
                copy(size, body);
                line();
            }
            while (!line().isEmpty()) {
                // trailers, none expected
            }
        } else if (length > 0) {
            copy(length, body);
        }
        if (close) {
            close();
        }
        return new Reply(code, body.toByteArray());
    }

    private void copy(long count, ByteArrayOutputStream body) throws IOException {
        byte[] buffer = new byte[8192];
        while (count > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, count));
            if (n < 0) {
                throw new EOFException("connection closed in a response body");
            }
            body.write(buffer, 0, n);
            count -= n;
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed in a response head");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a broken connection: nothing to do
            }
            socket = null;
        }
    }

    /** A status code and body. */
    record Reply(int status, byte[] body) {

        /** A top-level integer field of a publish answer ({@code "stored"}, {@code "duplicates"}); -1 if absent. */
        long field(String name) {
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            int at = text.indexOf("\"" + name + "\":");
            if (at < 0) {
                return -1;
            }
            int start = at + name.length() + 3;
            int end = start;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            return end == start ? -1 : Long.parseLong(text.substring(start, end));
        }
    }
}
