package org.libertyevents.aggregator.intake;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import org.libertyevents.aggregator.config.PublishLimits;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Opens request bodies as strict UTF-8 JSON under the body size limit, and turns what can go wrong while reading
 * them (too large, too slow, not UTF-8, not JSON, numbers or nesting past what can be held) into an
 * {@link InvalidRequest}.
 */
final class JsonBodyReader {

    private static final JsonParserFactory FACTORY = Json.createParserFactory(Map.of());

    private final PublishLimits limits;

    JsonBodyReader(PublishLimits limits) {
        this.limits = limits;
    }

    /** A parser over {@code body} that fails once more than the body limit has been read. */
    JsonParser open(InputStream body) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return FACTORY.createParser(
                new InputStreamReader(new LimitedInputStream(body, limits.maxBodyBytes()), decoder));
    }

    /**
     * Runs {@code reading} over a parser of the body, whole: for request formats read value by value (CloudEvents),
     * where any value may hold what the parser cannot build.
     */
    <T> T read(InputStream body, Function<JsonParser, T> reading) {
        try (JsonParser parser = open(body)) {
            if (!parser.hasNext()) {
                throw InvalidRequest.malformed("the request body is empty");
            }
            T value = reading.apply(parser);
            if (parser.hasNext()) {
                parser.next();
                throw InvalidRequest.malformed("unexpected content after the JSON value");
            }
            return value;
        } catch (JsonException e) {
            throw translate(e);
        } catch (NoSuchElementException | IllegalStateException e) {
            throw incomplete();
        } catch (NumberFormatException e) {
            throw InvalidRequest.malformed("the request body holds a number no decimal type can "
                    + "represent (exponent beyond 32 bits)");
        } catch (InvalidRequest e) {
            throw e;
        } catch (RuntimeException e) {
            // Parsson's plain RuntimeException for input nested past its own limit.
            throw InvalidRequest.malformed("the request body nests objects and arrays deeper "
                    + "than the parser reads (about 1,000 levels)");
        }
    }

    /** Reads the whole body as one JSON value. */
    JsonValue readValue(InputStream body) {
        return read(body, parser -> {
            parser.next();
            return parser.getValue();
        });
    }

    /** A batch with more events than the limit, refused as soon as the event past it starts. */
    InvalidRequest tooManyEvents() {
        return InvalidRequest.tooLarge("a batch holds at most " + limits.maxBatchEvents() + " events");
    }

    static InvalidRequest incomplete() {
        return InvalidRequest.malformed("the JSON text ends before it is complete");
    }

    InvalidRequest translate(JsonException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException) {
                return InvalidRequest.tooLarge("the request body is larger than " + limits.maxBodyBytes() + " bytes");
            }
            if (cause instanceof BodyDeadlineExceededException) {
                return InvalidRequest.timedOut();
            }
            if (cause instanceof CharacterCodingException) {
                return InvalidRequest.malformed("the request body is not valid UTF-8");
            }
        }
        return InvalidRequest.malformed(e instanceof JsonParsingException parsing
                ? describe(parsing) : "the request body could not be read as JSON");
    }

    private static String describe(JsonParsingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNumber() + ", column " + at.getColumnNumber();
        return "the request body is not valid JSON" + where;
    }

    /** Signals that the body went past {@link PublishLimits#maxBodyBytes()}. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException() {
            super("request body too large", null);
        }
    }

    /** Stops reading a body as soon as it exceeds the limit, whatever Content-Length claimed. */
    private static final class LimitedInputStream extends FilterInputStream {
        private long remaining;

        LimitedInputStream(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --remaining < 0) {
                throw new BodyTooLargeException();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                remaining -= n;
                if (remaining < 0) {
                    throw new BodyTooLargeException();
                }
            }
            return n;
        }
    }
}
