package it.org.libertyevents.aggregator.store;

import it.org.libertyevents.aggregator.support.ItDatabase;
import jakarta.enterprise.inject.spi.CDI;
import org.awaitility.Awaitility;
import org.hamcrest.Matcher;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.libertyevents.aggregator.config.ReadSettings;
import org.libertyevents.aggregator.event.Event;
import org.libertyevents.aggregator.event.EventKey;
import org.libertyevents.aggregator.event.Verdict;
import org.libertyevents.aggregator.store.Delivery;
import org.libertyevents.aggregator.store.DeliveryResult;
import org.libertyevents.aggregator.store.EventRepository;
import org.libertyevents.aggregator.store.EventStore;
import org.libertyevents.aggregator.store.FeedPosition;
import org.libertyevents.aggregator.store.IdempotencyKeyTakenException;
import org.libertyevents.aggregator.store.IdempotencyStore.StoredResponse;
import org.libertyevents.aggregator.store.KeyedAnswer;
import org.libertyevents.aggregator.store.SchemaState;
import org.libertyevents.aggregator.store.StoreException;
import org.libertyevents.aggregator.store.TopicCounter;

import java.io.File;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's EJB and JPA layer inside the running Liberty server (Arquillian managed container): verdicts, the
 * unique constraint, counters in the same transaction, and a failed transaction that leaves no trace.
 */
@ExtendWith(ArquillianExtension.class)
class EventStoreIT {

    @Deployment
    static WebArchive deployment() throws URISyntaxException {
        ItDatabase.prepare(); // runs on the client side, before the archive is deployed
        // Only the store, its domain types and its settings: no pipeline, no REST resources.
        return ShrinkWrap.create(WebArchive.class, "store-it.war")
                .addPackage(EventStore.class.getPackage())
                .addPackage(ReadSettings.class.getPackage())
                .addClasses(Event.class, EventKey.class, Verdict.class)
                .addAsResource("META-INF/persistence.xml")
                .addAsResource("db/postgresql/V1__events_and_counters.sql")
                .addAsResource("db/h2/V1__events_and_counters.sql")
                .addAsResource("db/postgresql/V2__broker_receipts.sql")
                .addAsResource("db/h2/V2__broker_receipts.sql")
                .addAsResource("db/postgresql/V3__payload_conflicts.sql")
                .addAsResource("db/h2/V3__payload_conflicts.sql")
                .addAsLibraries(jarOf(Awaitility.class), jarOf(Matcher.class))
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    private static File jarOf(Class<?> type) throws URISyntaxException {
        return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private EventStore store;
    private EventRepository repository;
    private String topic;

    @BeforeEach
    void lookUp() {
        // Field injection stays empty in in-container JUnit 5 tests; CDI look-ups work.
        SchemaState schema = CDI.current().select(SchemaState.class).get();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> schema.dialect().isPresent());
        store = CDI.current().select(EventStore.class).get();
        repository = CDI.current().select(EventRepository.class).get();
        topic = "arq-" + UUID.randomUUID();
    }

    private Event event(String id) {
        return new Event(topic, id, Instant.parse("2026-11-21T10:15:30.123456Z"), "arquillian",
                "{\"id\":\"" + id + "\"}", Instant.now());
    }

    @Test
    void verdictsFollowTheUniqueConstraintAcrossTransactions() {
        assertEquals(List.of(Verdict.STORED, Verdict.STORED, Verdict.DUPLICATE),
                store.store(List.of(event("a"), event("b"), event("a")), List.of()));
        assertEquals(List.of(Verdict.DUPLICATE, Verdict.STORED),
                store.store(List.of(event("b"), event("c")), List.of()));

        TopicCounter counter = counter();
        assertEquals(3, counter.getUniqueCount());
        assertEquals(2, counter.getDuplicateCount());
        var stored = repository.find(topic, "a").orElseThrow();
        assertEquals(Instant.parse("2026-11-21T10:15:30.123456Z"), stored.getEventTime().toInstant());
        assertTrue(stored.getPayload().contains("\"id\""));
        assertEquals(3, repository.page(topic, null, FeedPosition.START, 10, false).size());
    }

    @Test
    void aFailedTransactionLeavesNeitherEventsNorCounters() {
        // A key no request holds: its answer, written after the events and counters, fails the transaction.
        KeyedAnswer unheld = new KeyedAnswer("arq-" + UUID.randomUUID(), "fingerprint",
                verdicts -> new StoredResponse(200, "application/json", "{}", "{}"));

        StoreException failure = assertThrows(StoreException.class,
                () -> store.store(List.of(event("ghost")), List.of(unheld)));

        assertInstanceOf(IdempotencyKeyTakenException.class, failure);
        assertTrue(repository.find(topic, "ghost").isEmpty());
        assertTrue(repository.topicCounter(topic).isEmpty());
        assertEquals(List.of(Verdict.STORED), store.store(List.of(event("ghost")), List.of()));
    }

    @Test
    void aRedeliveredBrokerEntryIsSkippedNotCountedAgain() {
        String stream = "arq-stream-" + UUID.randomUUID();
        Delivery first = new Delivery("1000-0", List.of(event("a"), event("b")));
        Delivery second = new Delivery("1000-1", List.of(event("b"), event("c")));

        DeliveryResult once = store.storeDeliveries(stream, List.of(first, second));
        assertEquals(0, once.redelivered());
        assertEquals(List.of(Verdict.STORED, Verdict.STORED, Verdict.DUPLICATE, Verdict.STORED), once.verdicts());

        // The consumer died after the commit and before XACK: both entries come again, with a new one.
        Delivery third = new Delivery("1001-0", List.of(event("a"), event("d")));
        DeliveryResult again = store.storeDeliveries(stream, List.of(first, second, third));
        assertEquals(2, again.redelivered());
        assertEquals(List.of(Verdict.DUPLICATE, Verdict.STORED), again.verdicts());

        TopicCounter counter = counter();
        assertEquals(4, counter.getUniqueCount());
        assertEquals(2, counter.getDuplicateCount(), "one duplicate per delivery of new work, none per redelivery");

        // Pruning deletes the receipts older than the watermark and raises the floor: a consumer that stalled
        // with 1000-* in hand while another settled them records and counts nothing for them.
        store.pruneReceipts(stream, 1001);
        DeliveryResult late = store.storeDeliveries(stream, List.of(first, second, third));
        assertEquals(3, late.redelivered());
        assertTrue(late.events().isEmpty());
        assertEquals(4, counter().getUniqueCount());
        assertEquals(2, counter().getDuplicateCount());
        // A floor never goes down.
        store.pruneReceipts(stream, 900);
        assertEquals(3, store.storeDeliveries(stream, List.of(first, second, third)).redelivered());
    }

    @Test
    void anEntryIsEitherStoredOrDeadLetteredWhicheverReceiptComesFirst() {
        String stream = "arq-stream-" + UUID.randomUUID();
        Delivery stored = new Delivery("2000-0", List.of(event("s")));
        Delivery dead = new Delivery("2000-1", List.of(event("x")));
        store.storeDeliveries(stream, List.of(stored));

        // The stored entry is only to be acknowledged; the other is decided dead now, and stays so.
        assertEquals(Set.of("2000-1"), store.settleAsDeadLetters(stream, List.of("2000-0", "2000-1")));
        assertEquals(Set.of("2000-1"), store.settleAsDeadLetters(stream, List.of("2000-1")));

        // A later delivery of the dead-lettered entry stores nothing and is told to move it.
        DeliveryResult later = store.storeDeliveries(stream, List.of(stored, dead));
        assertEquals(2, later.redelivered());
        assertEquals(Set.of("2000-1"), later.deadLettered());
        assertTrue(repository.find(topic, "x").isEmpty());

        // Below the floor, everything is settled: nothing is dead-lettered or stored any more.
        store.pruneReceipts(stream, 2001);
        assertEquals(Set.of(), store.settleAsDeadLetters(stream, List.of("2000-0", "2000-1")));
        assertTrue(store.storeDeliveries(stream, List.of(dead)).deadLettered().isEmpty());
    }

    private TopicCounter counter() {
        return repository.topicCounter(topic).orElseThrow();
    }
}
