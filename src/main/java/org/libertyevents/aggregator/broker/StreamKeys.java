package org.libertyevents.aggregator.broker;

/**
 * The Redis keys of one stream, all named after it, so that one name says which keys a script touches: the stream
 * itself, whose entries each hold up to {@code BROKER_ENTRY_MAX_EVENTS} events and their body's length in bytes;
 * {@code <stream>:backlog}, the events appended and not yet acknowledged; {@code <stream>:backlog:bytes}, the bytes
 * of their entries' bodies; {@code <stream>:dead}, the dead-letter stream, which keeps its latest entries;
 * {@code <stream>:dead:events}, the events ever moved there.
 */
record StreamKeys(String stream, String backlog, String backlogBytes, String dead, String deadCount) {

    static StreamKeys of(String stream) {
        return new StreamKeys(stream, stream + ":backlog", stream + ":backlog:bytes", stream + ":dead",
                stream + ":dead:events");
    }
}
