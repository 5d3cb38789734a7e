package org.libertyevents.aggregator.event;

/** Identity of an event: {@code (topic, event_id)}, the pair the database keeps unique. */
public record EventKey(String topic, String eventId) {

    /**
     * Written out, as {@link #hashCode} is: every event of a group is looked up by its key several times, and the
     * record's generated methods (an {@code ObjectMethods} bootstrap) took 4 % of a batch's CPU in the profile.
     */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof EventKey key && topic.equals(key.topic)
                && eventId.equals(key.eventId);
    }

    @Override
    public int hashCode() {
        return 31 * topic.hashCode() + eventId.hashCode();
    }
}
