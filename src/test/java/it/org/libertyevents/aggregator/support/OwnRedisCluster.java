package it.org.libertyevents.aggregator.support;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of the test's own: three masters and a replica each, {@link OwnRedis} nodes on six consecutive
 * ports from {@code basePort} (append-only file synced on every write, a {@value #NODE_TIMEOUT_MILLIS} ms
 * {@code cluster-node-timeout} so a replica takes over from a killed master within seconds), joined with
 * {@code redis-cli --cluster create ... --cluster-replicas 1}.
 *
 * <pre>{@code
 * try (OwnRedisCluster cluster = OwnRedisCluster.start(7101)) {
 *     String nodes = cluster.seeds();        // 127.0.0.1:7101,127.0.0.1:7102,...
 *     int master = cluster.masters().get(0);
 *     cluster.kill(master);                  // kill -9; its replica is promoted
 *     cluster.awaitHealthy();
 * }
 * }</pre>
 */
public final class OwnRedisCluster implements AutoCloseable {

    private static final int NODES = 6;
    private static final int NODE_TIMEOUT_MILLIS = 2000;
    private final List<OwnRedis> nodes;

    private OwnRedisCluster(List<OwnRedis> nodes) {
        this.nodes = nodes;
    }

    /** Starts six empty nodes on {@code basePort} to {@code basePort + 5} and creates the cluster. */
    public static OwnRedisCluster start(int basePort) {
        List<OwnRedis> nodes = new ArrayList<>();
        OwnRedisCluster cluster = new OwnRedisCluster(nodes);
        try {
            for (int i = 0; i < NODES; i++) {
                nodes.add(OwnRedis.start(basePort + i, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MILLIS))));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            run(create);
            cluster.awaitHealthy();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The seed nodes as {@code REDIS_CLUSTER_NODES} takes them. */
    public String seeds() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    /** The ports of the nodes that are masters now, as a running node sees them. */
    public List<Integer> masters() {
        List<Integer> masters = new ArrayList<>();
        for (String line : clusterNodes().split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 7 && fields[2].contains("master") && !fields[2].contains("fail")
                    && fields[7].equals("connected")) {
                masters.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1,
                        fields[1].indexOf('@'))));
            }
        }
        return masters;
    }

    /** Whether the cluster holds {@code key}, asked of the node that owns its slot. */
    public boolean exists(String key) {
        Set<HostAndPort> seeds = new HashSet<>();
        nodes.stream().filter(OwnRedis::isRunning)
                .forEach(node -> seeds.add(new HostAndPort("127.0.0.1", node.port())));
        try (RedisClusterClient cluster = RedisClusterClient.create(seeds)) {
            return cluster.exists(key);
        }
    }

    /** Kills the node on {@code port} with SIGKILL, as a crash would. */
    public void kill(int port) {
        node(port).kill();
    }

    /** Starts the node on {@code port} again, with its data and its cluster configuration. */
    public void restart(int port) {
        node(port).restart();
    }

    /**
     * Holds every write command sent to the master on {@code port} for {@code pause} ({@code CLIENT PAUSE ... WRITE}):
     * a client waiting on one sees the node answer nothing, as an overloaded or partitioned node would.
     */
    public void pauseWrites(int port, Duration pause) {
        command(port, "CLIENT", "PAUSE", Long.toString(pause.toMillis()), "WRITE");
    }

    /** Waits until every running node reports {@code cluster_state:ok} and all 16384 slots served. */
    public void awaitHealthy() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (OwnRedis node : nodes) {
                if (node.isRunning()) {
                    String info = command(node.port(), "CLUSTER", "INFO");
                    if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:16384")) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    /** Moves {@code slots} slots from the master on {@code from} to the master on {@code to}, under load. */
    public void reshard(int from, int to, int slots) {
        run(List.of("redis-cli", "--cluster", "reshard", "127.0.0.1:" + from,
                "--cluster-from", nodeId(from), "--cluster-to", nodeId(to),
                "--cluster-slots", Integer.toString(slots), "--cluster-yes"));
    }

    @Override
    public void close() {
        nodes.forEach(OwnRedis::close);
    }

    private String nodeId(int port) {
        return command(port, "CLUSTER", "MYID");
    }

    private String clusterNodes() {
        for (OwnRedis node : nodes) {
            if (node.isRunning()) {
                return command(node.port(), "CLUSTER", "NODES");
            }
        }
        throw new IllegalStateException("no node of the cluster runs");
    }

    private OwnRedis node(int port) {
        return nodes.stream().filter(node -> node.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node on port " + port));
    }

    private static String command(int port, String... args) {
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().timeoutMillis(2000).build())) {
            Object reply = jedis.sendCommand(() -> args[0].getBytes(StandardCharsets.UTF_8),
                    Arrays.copyOfRange(args, 1, args.length));
            return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
        }
    }

    private static void run(List<String> command) {
        try {
            // Into a file: a reshard prints a line per key moved, more than a pipe holds before the tool blocks.
            Path log = Files.createTempFile("redis-cli-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            String output = Files.readString(log);
            Files.delete(log);
            if (!ended) {
                process.destroyForcibly();
            }
            if (!ended || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
