package org.libertyevents.aggregator.api;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.libertyevents.aggregator.config.ApiKeys;
import org.libertyevents.aggregator.config.ReadSettings;
import org.libertyevents.aggregator.config.RetentionSettings;
import org.libertyevents.aggregator.config.WaitSettings;
import org.libertyevents.aggregator.feed.FeedWaits;
import org.libertyevents.aggregator.intake.EventFieldRules;
import org.libertyevents.aggregator.store.ErasureStore;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.StoredEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * {@code GET /events}: stored events in feed order (the order they became readable, see
 * {@link EventRepository#page}), or newest first with {@code order=desc} (what the dashboard's recent events read
 * without paging through the whole table), filtered and paginated by an opaque cursor. A page ends at {@code limit}
 * events or at {@code EVENTS_PAGE_MAX_BYTES}, whichever comes first; its cursor continues right after its last event.
 * Expired and erased events are no longer in the feed, and a cursor past them goes on. With {@code wait}, a read at
 * the end of the feed is a long poll ({@link FeedWaits}); {@code GET /events/stream} follows it live
 * ({@link EventStreamOpener}). One event by its key, and its erasure. The stream is a method here, not a resource
 * class of its own at {@code /events/stream}: a root class of that path would take every path under it, and hide the
 * events of a topic named {@code stream}.
 */
@Path("/events")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    private static final Logger LOG = Logger.getLogger(EventsResource.class.getName());
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final int MAX_FILTER_LENGTH = 255;

    @EJB
    private EventRepository repository;

    @EJB
    private ErasureStore erasures;

    @Inject
    private ReadSettings reads;

    @Inject
    private RetentionSettings retention;

    @Inject
    private ApiKeys keys;

    @Inject
    private WaitSettings waits;

    @Inject
    private FeedWaits feedWaits;

    @Inject
    private EventStreamOpener streams;

    @GET
    @Operation(summary = "List stored events in feed order",
            description = "Optional filters topic, and source within a topic; limit 1-1000 (default 100), fewer "
                    + "when the events pass the page's byte budget; order asc (default) or desc (newest first); "
                    + "pass next as after for the next page, null at the end. cursor is where to go on from "
                    + "later: passed as after, it returns only events stored since. wait (such as 30s, at most "
                    + "EVENTS_WAIT_MAX) makes an empty page a long poll: the answer comes as soon as an event is "
                    + "there, or empty when the wait is over.")
    @APIResponse(responseCode = "200", description = "A page of events",
            content = @Content(schema = @Schema(implementation = EventPage.class)))
    public void list(@QueryParam("topic") String topic, @QueryParam("source") String source,
                     @QueryParam("limit") String limit, @QueryParam("after") String after,
                     @QueryParam("order") String order, @QueryParam("wait") String wait,
                     @Suspended AsyncResponse response) {
        checkFeedFilter(topic, source);
        int pageSize = parseLimit(limit);
        boolean newestFirst = parseNewestFirst(order);
        Duration waitFor = QueryParameters.duration("wait", wait, waits.max());
        if (newestFirst && !waitFor.isZero()) {
            throw new ProblemException(Problem.invalidParameter("wait",
                    "needs order=asc: newest first has no end to wait at"));
        }
        FeedPosition from = after == null || after.isEmpty() ? (newestFirst ? FeedPosition.END : FeedPosition.START)
                : EventCursor.decode(after);
        Supplier<EventPage> read = () -> page(topic, source, from, pageSize, newestFirst);
        if (waitFor.isZero()) {
            response.resume(read.get());
        } else if (!feedWaits.await(read, page -> !page.events().isEmpty(), waitFor, response::resume,
                response::resume)) {
            throw new ProblemException(Problem.unavailable("too-many-waiting", "Too many requests waiting",
                    "this instance has EVENTS_WAITERS_MAX long polls waiting already; try again, or read without "
                            + "wait", Duration.ofSeconds(1)));
        }
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow the feed live, as Server-Sent Events",
            description = "Filters topic, and source within a topic, as GET /events. Starts after the Last-Event-ID "
                    + "header (the id of the last event received, on a reconnect), else after the cursor after, "
                    + "else at the end of the feed with from=now, else at its start. Each message's data is an "
                    + "event as GET /events shows it, its id the cursor right after it. Comments every "
                    + "EVENTS_STREAM_HEARTBEAT keep it open.")
    @APIResponse(responseCode = "200", description = "The stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    public void stream(@QueryParam("topic") String topic, @QueryParam("source") String source,
                       @QueryParam("after") String after, @QueryParam("from") String from,
                       @HeaderParam(StreamStart.LAST_EVENT_ID) String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse) {
        checkFeedFilter(topic, source);
        streams.open(topic, source, after, from, lastEventId, sink, sse);
    }

    private EventPage page(String topic, String source, FeedPosition from, int pageSize, boolean newestFirst) {
        // One row more than asked for says whether there is a next page.
        List<StoredEvent> rows = repository.page(topic, source, from, pageSize + 1, newestFirst);
        List<StoredEvent> page = rows.subList(0, fitting(rows, pageSize, reads.pageMaxBytes()));
        boolean more = rows.size() > page.size();
        String cursor = EventCursor.encode(page.isEmpty() ? from : page.get(page.size() - 1).position());
        return new EventPage(page.stream().map(EventView::of).toList(), more ? cursor : null, cursor);
    }

    @GET
    @Path("/{topic}/{event_id}")
    @Operation(summary = "One stored event by its identity")
    public EventView find(@PathParam("topic") String topic, @PathParam("event_id") String eventId) {
        return repository.find(topic, eventId).map(EventView::of).orElseThrow(() -> new ProblemException(
                RemovedEvents.missing(topic, eventId, repository.removed(topic, eventId), retention)));
    }

    @DELETE
    @Operation(summary = "Erase the events of a topic and/or source",
            description = "Answers 202 at once and erases in the background the matching events received until "
                    + "now, keeping their keys; GET the status URL for progress. topic, source or both.")
    public Response eraseAll(@QueryParam("topic") String topic, @QueryParam("source") String source,
                             @QueryParam("reason") String reason, @Context HttpHeaders headers,
                             @Context UriInfo uri) {
        checkFilter("topic", topic);
        checkFilter("source", source);
        checkFilter("reason", reason);
        if (topic == null && source == null) {
            throw new ProblemException(Problem.invalidParameter("topic",
                    "a bulk erasure needs topic, source or both (no erasure of everything at once)"));
        }
        String why = reason == null || reason.isBlank() ? "erased on request" : reason;
        ErasureView job = ErasureView.of(erasures.request(topic, source, why, Instant.now()));
        LOG.info(() -> "Bulk erasure " + job.id() + " of topic " + topic + ", source " + source + " (" + why
                + ") requested by client " + client(headers));
        return Response.accepted(job).location(uri.getBaseUriBuilder().path(job.status()).build()).build();
    }

    @DELETE
    @Path("/{topic}/{event_id}")
    @Operation(summary = "Erase one event",
            description = "Removes its payload at once and keeps its key, so that a resend is still a duplicate; "
                    + "a read of it answers 410 from then on. 204 when erased (again), 404 for a key never stored.")
    public Response erase(@PathParam("topic") String topic, @PathParam("event_id") String eventId,
                          @QueryParam("reason") String reason, @Context HttpHeaders headers) {
        checkFilter("reason", reason);
        String why = reason == null || reason.isBlank() ? "erased on request" : reason;
        Instant erasedAt = erasures.erase(topic, eventId, why, Instant.now()).orElseThrow(() -> new ProblemException(
                Problem.of("event-not-found", "Event not found", 404,
                        "no event " + eventId + " was ever stored in topic " + topic)));
        LOG.info(() -> "Erased event " + eventId + " of topic " + topic + " (" + why + ") for client "
                + client(headers) + ", erased at " + erasedAt);
        return Response.noContent().build();
    }

    /** Who asked, for the log: a digest of the API key presented, never the key. */
    private String client(HttpHeaders headers) {
        String scope = keys.scope(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                headers.getHeaderString(ApiKeys.API_KEY_HEADER));
        return scope.isEmpty() ? "without API key" : scope;
    }

    /**
     * How many of the rows, from the first, make a page of at most {@code limit} events and {@code maxBytes}
     * estimated bytes; at least one, so that a reader always gets on.
     */
    static int fitting(List<StoredEvent> rows, int limit, long maxBytes) {
        int count = 0;
        long bytes = 0;
        for (StoredEvent row : rows) {
            bytes += EventView.estimatedBytes(row);
            if (count == limit || count > 0 && bytes > maxBytes) {
                break;
            }
            count++;
        }
        return count;
    }

    /** The filters of a read of the feed (a page or a stream). */
    static void checkFeedFilter(String topic, String source) {
        checkFilter("topic", topic);
        checkFilter("source", source);
        if (source != null && topic == null) {
            // The feed is indexed by topic: a source alone would scan every stored event.
            throw new ProblemException(Problem.invalidParameter("source",
                    "needs topic (it filters within one topic)"));
        }
    }

    static void checkFilter(String name, String value) {
        if (value != null) {
            String problem = EventFieldRules.checkText(value, MAX_FILTER_LENGTH);
            if (problem != null) {
                throw new ProblemException(Problem.invalidParameter(name, problem));
            }
        }
    }

    static boolean parseNewestFirst(String order) {
        if (order == null || order.isEmpty() || order.equals("asc")) {
            return false;
        }
        if (order.equals("desc")) {
            return true;
        }
        throw new ProblemException(Problem.invalidParameter("order", "must be asc or desc"));
    }

    static int parseLimit(String limit) {
        return QueryParameters.count("limit", limit, DEFAULT_LIMIT, MAX_LIMIT);
    }
}
