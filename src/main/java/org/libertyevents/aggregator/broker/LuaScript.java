package org.libertyevents.aggregator.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts the broker runs in Redis, from {@code src/main/resources/redis}: changes that must not be seen
 * half done (append and count, acknowledge and uncount, dead-letter, trim, renew a claim only if still held), since Redis runs a script atomically.
 */
enum LuaScript {
    APPEND("append"),
    ACKNOWLEDGE("acknowledge"),
    DEAD_LETTER("dead-letter"),
    TRIM("trim"),
    RENEW("renew"),
    REMOVE_IDLE_CONSUMER("remove-idle-consumer");

    private final String source;

    LuaScript(String name) {
        String resource = "redis/" + name + ".lua";
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String source() {
        return source;
    }
}
