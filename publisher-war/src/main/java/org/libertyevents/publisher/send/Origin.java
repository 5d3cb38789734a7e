package org.libertyevents.publisher.send;

import java.net.URI;
import java.util.Locale;

/**
 * Where an HTTP request goes, as browsers compare it: scheme, host and port, in lower case and with the default
 * port filled in, so that {@code HTTP://Localhost} and {@code http://localhost:80/x} are the same origin.
 *
 * @param scheme {@code http} or {@code https}
 * @param host   the host name or address as written in the URL (an IPv6 address with its brackets)
 * @param port   the port, 80 or 443 when the URL names none
 */
public record Origin(String scheme, String host, int port) {

    /** The origin of an http or https URL with a host; throws {@link IllegalArgumentException} otherwise. */
    public static Origin of(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("not an http or https URL: " + url);
        }
        if (url.getHost() == null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("not a URL with a host and no user info: " + url);
        }
        int port = url.getPort() != -1 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        return new Origin(scheme, url.getHost().toLowerCase(Locale.ROOT), port);
    }

    /** {@link #of(URI)} of a text such as {@code http://aggregator:9080}; surrounding blanks are ignored. */
    public static Origin parse(String url) {
        return of(URI.create(url.strip()));
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
