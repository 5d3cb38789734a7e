package org.libertyevents.aggregator.subscription;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookTargetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
            "0.0.0.0", "100.64.0.1", "198.18.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
            "fd00::1", "fc12::1", "::ffff:127.0.0.1", "::ffff:10.1.1.1"})
    void internalAddressesAreInternal(String address) throws UnknownHostException {
        assertTrue(WebhookTargets.isInternal(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "100.128.0.1", "172.32.0.1", "2606:2800:21f:cb07::1"})
    void publicAddressesAreNot(String address) throws UnknownHostException {
        assertFalse(WebhookTargets.isInternal(InetAddress.getByName(address)), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/hook", "https://[::1]/x",
            "http://10.0.0.5/x", "http://169.254.169.254/latest/meta-data"})
    void privateTargetsAreRefusedUnlessAllowed(String url) {
        String refusal = WebhookTargets.check(url, false);
        assertNotNull(refusal, url);
        assertTrue(refusal.contains("SUBSCRIPTIONS_ALLOW_PRIVATE_TARGETS"), refusal);
        assertNull(WebhookTargets.check(url, true), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "gopher://example.com", "not a url",
            "/relative/path", "http:///no-host", "http://example.com/#fragment", "javascript:alert(1)"})
    void otherSchemesAndMalformedUrlsAreRefused(String url) {
        assertNotNull(WebhookTargets.check(url, true), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.215.14/hook", "https://8.8.8.8:8443/a?b=c"})
    void publicTargetsAreFine(String url) {
        assertNull(WebhookTargets.check(url, false), url);
    }
}
