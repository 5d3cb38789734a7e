package org.libertyevents.publisher.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a run request's body, at most {@link #MAX_BYTES}: run settings are a few hundred bytes, so a larger body
 * is refused while it is read, whatever its {@code Content-Length} said (or whether it said anything).
 */
final class RequestBody {

    static final int MAX_BYTES = 16 * 1024;

    /** The body is longer than {@link #MAX_BYTES}. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("the body is larger than " + MAX_BYTES + " bytes");
        }
    }

    private RequestBody() {
    }

    /**
     * The body as text, or null when it is not valid UTF-8.
     *
     * @throws TooLarge                     above {@link #MAX_BYTES}
     * @throws DeadlineInputStream.Expired  when it does not arrive within {@code HTTP_BODY_DEADLINE}
     */
    static String read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BYTES + 1);
        if (bytes.length > MAX_BYTES) {
            throw new TooLarge();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
