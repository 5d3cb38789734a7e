package org.libertyevents.aggregator.subscription;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs a subscription may deliver to: absolute http or https URLs, and, unless private targets are allowed,
 * none whose host is or resolves to an internal address (loopback, private ranges, link-local, carrier-grade NAT,
 * unique local, multicast, unspecified), so that a subscription cannot be made to reach into the network the
 * service runs in (server-side request forgery). Checked when a subscription is made or changed, and again before
 * each delivery, since what a name resolves to can change.
 */
public final class WebhookTargets {

    static final int MAX_URL_LENGTH = 2048;

    private WebhookTargets() {
    }

    /** What is wrong with a URL as a subscription's target, or null if it is fine. */
    public static String check(String url, boolean allowPrivate) {
        if (url.length() > MAX_URL_LENGTH) {
            return "must be at most " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an http or https URL";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a host";
        }
        if (uri.getFragment() != null) {
            return "must not have a fragment";
        }
        return allowPrivate ? null : internal(uri.getHost());
    }

    /** Why the host may not be delivered to, or null when it resolves to public addresses only. */
    static String internal(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "names a host that does not resolve: " + host;
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return "resolves to an internal address (" + address.getHostAddress() + "), which is refused unless "
                        + "SUBSCRIPTIONS_ALLOW_PRIVATE_TARGETS=true";
            }
        }
        return null;
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0                                   // "this network"
                    || first == 100 && (second & 0xc0) == 64    // 100.64.0.0/10, carrier-grade NAT
                    || first == 192 && second == 0 && (bytes[2] & 0xff) == 0  // 192.0.0.0/24, protocol assignments
                    || first == 198 && (second & 0xfe) == 18    // 198.18.0.0/15, benchmarking
                    || first >= 240;                            // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;                   // fc00::/7, unique local
        }
        return false;
    }
}
