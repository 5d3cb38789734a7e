package org.libertyevents.aggregator.api;

import org.libertyevents.aggregator.intake.BodyDeadlineExceededException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The small JSON bodies of {@code /subscriptions}, read with a bound (publish bodies are read by {@code intake}). */
final class SmallBodies {

    static final int MAX_BODY_BYTES = 65_536;

    private SmallBodies() {
    }

    /**
     * Reads a request body of at most {@value #MAX_BODY_BYTES} bytes of UTF-8: a larger one is refused (413) without
     * being read to its end, so that no body fills the heap.
     */
    static String read(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (BodyDeadlineExceededException e) {
            throw new ProblemException(BodyDeadlineFilter.problem());
        } catch (IOException e) {
            throw new ProblemException(Problem.malformedJson("the body could not be read: " + e.getMessage()));
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ProblemException(Problem.tooLarge("a subscription request is at most " + MAX_BODY_BYTES
                    + " bytes"));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ProblemException(Problem.malformedJson("the body is not UTF-8"));
        }
    }

}
