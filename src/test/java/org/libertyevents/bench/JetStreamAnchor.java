package org.libertyevents.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The jetstream scenario, an anchor outside the service: the single scenario's events (the same JSON bodies)
 * published to a NATS JetStream stream made for the run (file storage, deleted after it), each with
 * {@code Nats-Msg-Id} {@code topic/event_id}, so that JetStream drops the duplicates as the service does. Sync:
 * {@code bench.single.clients} threads, each waiting for the ack of its publish before the next (the single
 * scenario's concurrency), on one connection, as NATS advises a process to use: messages per second, p50 and
 * p99. Pipelined: {@code bench.async.clients} threads with {@code publishAsync}, at most
 * {@code bench.jetstream.window} acks outstanding, at most {@code bench.async.events} messages: acked messages
 * per second (the load: {@link JetStreamLoad}). Counts are exact as elsewhere: the acks' stored and duplicate
 * verdicts and the stream's new messages must equal the unique and duplicate events sent.
 */
final class JetStreamAnchor {

    static final String NAME = "jetstream";
    static final String SYNC_RATE = "sync messages/s (closed loop)";
    static final String PIPELINED_RATE = "pipelined messages/s";

    private final BenchSettings settings;
    private final Scenarios scenarios;

    JetStreamAnchor(BenchSettings settings, Scenarios scenarios) {
        this.settings = settings;
        this.scenarios = scenarios;
    }

    Result run() throws IOException, InterruptedException {
        String measures = "the single scenario's events published to NATS JetStream (" + settings.natsUrl()
                + ", a file-storage stream of the run's own, Nats-Msg-Id topic/event_id): synchronously from "
                + settings.singleClients() + " threads on one connection in a closed loop, then pipelined "
                + "(publishAsync) from " + settings.asyncClients() + " threads with at most "
                + settings.jetstreamWindow() + " acks outstanding";
        Connection nats;
        try {
            nats = Nats.connect(Options.builder().server(settings.natsUrl()).connectionTimeout(Duration.ofSeconds(5))
                    .maxReconnects(0).build());
        } catch (IOException e) {
            return Result.skipped(NAME, measures, "no NATS at " + settings.natsUrl() + " (" + e.getMessage() + ")");
        }
        String stream = "bench-" + settings.runId();
        try (nats) {
            JetStreamManagement management = nats.jetStreamManagement();
            // The duplicate window spans the run: duplicates repeat originals from anywhere earlier in a phase.
            management.addStream(StreamConfiguration.builder().name(stream).subjects(stream + ".>")
                    .storageType(StorageType.File).duplicateWindow(Duration.ofHours(1)).build());
            try {
                JetStream jetStream = nats.jetStream(JetStreamOptions.builder()
                        .requestTimeout(Duration.ofSeconds(30)).build());
                return measure(measures, new JetStreamLoad(settings, scenarios, jetStream, stream), management,
                        stream);
            } finally {
                management.deleteStream(stream);
            }
        } catch (JetStreamApiException e) {
            throw new IOException("JetStream refused: " + e.getMessage(), e);
        }
    }

    private Result measure(String measures, JetStreamLoad load, JetStreamManagement management, String stream)
            throws IOException, JetStreamApiException, InterruptedException {
        Result result = new Result(NAME, measures);
        if (!settings.warmup().isZero()) {
            load.sync(new EventSet(scenarios.prefix(NAME + "-warmup")), settings.warmup());
        }
        OptionalLong server = CpuMeter.pidOf("nats-server");  // CPU and RSS of the server, when it runs here
        ServerProbe probe = ServerProbe.process(server);
        probe.start();
        try {
            long before = messages(management, stream);
            CpuMeter cpu = CpuMeter.start(server);
            JetStreamLoad.Tally sync = load.sync(new EventSet(scenarios.prefix(NAME + "-sync")), settings.duration());
            result.cost("sync", sync.sent(), sync.sent(), cpu.stop());
            long afterSync = messages(management, stream);
            check(result, "sync", sync, afterSync - before);
            cpu = CpuMeter.start(server);
            JetStreamLoad.Tally pipelined = load.pipelined(new EventSet(scenarios.prefix(NAME + "-pipelined")));
            result.cost("pipelined", pipelined.sent(), pipelined.sent(), cpu.stop());
            check(result, "pipelined", pipelined, messages(management, stream) - afterSync);
            result.figure(SYNC_RATE, sync.perSecond(), "messages/s", null, null, null);
            result.figure("sync p50", sync.latency().getValueAtPercentile(50) / 1000.0, "ms", null, null, null);
            result.figure("sync p99", sync.latency().getValueAtPercentile(99) / 1000.0, "ms", null, null, null);
            result.figure(PIPELINED_RATE, pipelined.perSecond(), "messages/s", null, null, null);
        } finally {
            result.server(probe.stop());
        }
        return result;
    }

    private static long messages(JetStreamManagement management, String stream)
            throws IOException, JetStreamApiException {
        return management.getStreamInfo(stream).getStreamState().getMsgCount();
    }

    private static void check(Result result, String phase, JetStreamLoad.Tally tally, long streamDelta) {
        long unique = EventSet.uniqueIn(tally.sent());
        result.count(phase + "_events", tally.sent());
        result.count(phase + "_unique", unique);
        result.count(phase + "_errors", tally.errors());
        if (tally.firstError() != null) {
            result.count(phase + "_first_error", tally.firstError());
        }
        result.expect(phase + " errors", 0, tally.errors());
        result.expect(phase + " stored in the acks", unique, tally.stored());
        result.expect(phase + " duplicates in the acks", tally.sent() - unique, tally.duplicates());
        result.expect(phase + " new messages in the stream", unique, streamDelta);
    }
}
