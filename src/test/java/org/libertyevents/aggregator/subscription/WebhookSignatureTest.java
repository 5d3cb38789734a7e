package org.libertyevents.aggregator.subscription;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class WebhookSignatureTest {

    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTheStandardWebhooksTestVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSignature.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, SPEC_BODY, List.of(SPEC_SECRET)));
    }

    @Test
    void signsWithEverySecretWhileOneIsRotatedOut() {
        String other = WebhookSignature.generate();
        String both = WebhookSignature.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, SPEC_BODY,
                List.of(other, SPEC_SECRET));
        String[] signatures = both.split(" ");
        assertEquals(2, signatures.length);
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signatures[1]);
    }

    @Test
    void generatedSecretsAreValidAndDiffer() {
        String one = WebhookSignature.generate();
        assertNull(WebhookSignature.check(one), one);
        assertNotEquals(one, WebhookSignature.generate());
        assertEquals(6 + 44, one.length(), "whsec_ and 32 bytes of base64");
    }

    @Test
    void refusesSecretsNotInTheStandardForm() {
        assertNull(WebhookSignature.check(SPEC_SECRET));
        assertNotNull(WebhookSignature.check("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "no prefix");
        assertNotNull(WebhookSignature.check("whsec_not base64!"));
        assertNotNull(WebhookSignature.check("whsec_c2hvcnQ="), "5 bytes");
        assertNotNull(WebhookSignature.check("whsec_" + "A".repeat(88)), "66 bytes");
    }
}
