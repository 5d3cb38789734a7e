package org.libertyevents.publisher.api;

import java.io.ByteArrayOutputStream;
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
        // Not readNBytes: it takes a read of 0 bytes, which Liberty's stream returns while a slow body is on its
        // way, for the end of the body.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n = body.read(buffer); n != -1; n = body.read(buffer)) {
            if (bytes.size() + n > MAX_BYTES) {
                throw new TooLarge();
            }
            bytes.write(buffer, 0, n);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
