package org.libertyevents.aggregator.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.libertyevents.aggregator.deploy.DeployFiles.PROJECT;
import static org.libertyevents.aggregator.deploy.DeployFiles.interpolate;
import static org.libertyevents.aggregator.deploy.DeployFiles.list;
import static org.libertyevents.aggregator.deploy.DeployFiles.map;
import static org.libertyevents.aggregator.deploy.DeployFiles.service;
import static org.libertyevents.aggregator.deploy.DeployFiles.services;

/**
 * docker-compose.yml, checked without a Docker engine: it parses, every file it names exists, the aggregator and
 * publisher get only settings the servers read and docs/configuration.md lists, the services wait for each other
 * the way docs/containers.md says, and nothing is open by default: no default password, no port beyond loopback.
 */
class ComposeFileTest {

    /** The passwords the operator must set; compose has no default for any of them. */
    private static final List<String> PASSWORDS = List.of("POSTGRES_PASSWORD", "REDIS_PASSWORD",
            "GRAFANA_ADMIN_PASSWORD");
    /** Sample values for them, to read the file as compose does once they are set. */
    private static final Map<String, String> SET = Map.of("POSTGRES_PASSWORD", "pg-secret",
            "REDIS_PASSWORD", "redis-secret", "GRAFANA_ADMIN_PASSWORD", "grafana-secret");

    /** OpenTelemetry SDK variables, which Liberty's mpTelemetry feature reads from the server's environment. */
    private static final Set<String> OPEN_TELEMETRY = Set.of("OTEL_SDK_DISABLED", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_SERVICE_NAME", "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Path CONFIGURATION = PROJECT.resolve("docs/configuration.md");
    private static final Pattern CONFIGURATION_ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\|");

    @Test
    void everyBuildContextDockerfileAndTargetExists() throws IOException {
        int builds = 0;
        for (var entry : services().entrySet()) {
            Object build = map(entry.getValue(), entry.getKey()).get("build");
            if (build == null) {
                continue;
            }
            builds++;
            Map<String, Object> settings = map(build, entry.getKey() + ".build");
            Path context = PROJECT.resolve((String) settings.get("context")).normalize();
            Path dockerfile = context.resolve((String) settings.getOrDefault("dockerfile", "Dockerfile"));
            assertTrue(Files.isDirectory(context), entry.getKey() + ": no build context " + context);
            assertTrue(Files.isRegularFile(dockerfile), entry.getKey() + ": no Dockerfile " + dockerfile);
            String target = (String) settings.get("target");
            assertTrue(Files.readAllLines(dockerfile).stream()
                            .anyMatch(l -> l.matches("(?i)FROM\\s+\\S+\\s+AS\\s+" + target)),
                    entry.getKey() + ": no stage '" + target + "' in " + dockerfile);
        }
        assertEquals(2, builds, "the aggregator and the publisher are built here");
    }

    @Test
    void everyMountedFileExistsAndEveryNamedVolumeIsDeclared() {
        Set<String> declared = map(DeployFiles.yaml(DeployFiles.COMPOSE).get("volumes"), "volumes").keySet();
        for (var entry : services().entrySet()) {
            Object volumes = map(entry.getValue(), entry.getKey()).getOrDefault("volumes", List.of());
            for (Object volume : list(volumes, entry.getKey() + ".volumes")) {
                String source = ((String) volume).split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(Files.exists(PROJECT.resolve(source)), entry.getKey() + " mounts a missing " + source);
                } else {
                    assertTrue(declared.contains(source), entry.getKey() + " uses an undeclared volume " + source);
                }
            }
        }
    }

    @Test
    void theAggregatorAndPublisherGetOnlySettingsTheServersReadAndTheConfigurationTableLists() {
        Set<String> read = variablesTheServersRead();
        Set<String> documented = configurationTable();
        for (String name : List.of("aggregator", "publisher")) {
            Set<String> set = environment(name).keySet();
            assertFalse(set.isEmpty(), name + " sets no environment");
            for (String variable : set) {
                assertTrue(read.contains(variable), name + " sets " + variable + ", which no server reads");
                assertTrue(documented.contains(variable),
                        name + " sets " + variable + ", missing from docs/configuration.md");
            }
        }
    }

    /** The check above would catch a misspelt name: what the servers read is known, and a typo is not among it. */
    @Test
    void theReadVariablesAreTheServersOwn() {
        Set<String> read = variablesTheServersRead();
        assertTrue(read.containsAll(Set.of("DB_URL", "DB_PASSWORD", "REDIS_URL", "BROKER_STREAM", "AGGREGATOR_URL",
                "PUBLISHER_CONTEXT_ROOT", "PUBLISHER_CONFIG", "HTTP_PORT")), read.toString());
        assertFalse(read.contains("DB_ULR"));
        assertTrue(configurationTable().containsAll(Set.of("DB_URL", "REDIS_URL", "AGGREGATOR_URL")));
    }

    @Test
    void theAggregatorUsesTheComposeDatabaseAndBroker() {
        Map<String, Object> aggregator = environment("aggregator");
        Map<String, Object> postgres = environment("postgres");
        URI db = URI.create(((String) aggregator.get("DB_URL")).substring("jdbc:".length()));
        assertEquals("postgresql", db.getScheme());
        assertTrue(services().containsKey(db.getHost()), "DB_URL names no service: " + db);
        assertEquals("/" + postgres.get("POSTGRES_DB"), db.getPath());
        assertEquals(postgres.get("POSTGRES_USER"), aggregator.get("DB_USER"));
        assertEquals("pg-secret", interpolate((String) postgres.get("POSTGRES_PASSWORD"), SET));
        assertEquals("pg-secret", interpolate((String) aggregator.get("DB_PASSWORD"), SET));
        URI redis = URI.create(interpolate((String) aggregator.get("REDIS_URL"), SET));
        assertEquals("redis", redis.getHost());
        assertTrue(services().containsKey(redis.getHost()));
        assertEquals(":redis-secret", redis.getUserInfo(), "the broker logs in with Redis's requirepass");
    }

    /** Every password is a required variable: {@code up} stops with a message naming it until the operator sets it. */
    @Test
    void noPasswordHasADefault() {
        List<String> values = scalars(DeployFiles.yaml(DeployFiles.COMPOSE));
        for (String value : values) {
            Matcher reference = DeployFiles.COMPOSE_VARIABLE.matcher(value);
            while (reference.find()) {
                if (reference.group(1).contains("PASSWORD")) {
                    assertEquals(":?", reference.group(2), "a password with a default: " + reference.group());
                }
            }
        }
        Map<String, String> passwordSettings = new LinkedHashMap<>();
        passwordSettings.put("postgres POSTGRES_PASSWORD", (String) environment("postgres").get("POSTGRES_PASSWORD"));
        passwordSettings.put("aggregator DB_PASSWORD", (String) environment("aggregator").get("DB_PASSWORD"));
        passwordSettings.put("redis --requirepass", redisOption("--requirepass"));
        passwordSettings.put("redis REDISCLI_AUTH", (String) environment("redis").get("REDISCLI_AUTH"));
        passwordSettings.put("grafana GF_SECURITY_ADMIN_PASSWORD",
                (String) environment("grafana").get("GF_SECURITY_ADMIN_PASSWORD"));
        for (var setting : passwordSettings.entrySet()) {
            String value = setting.getValue();
            assertTrue(value != null && value.matches("\\$\\{[A-Z_]+:\\?[^}]+}"),
                    setting.getKey() + " must be a required variable, not " + value);
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> interpolate(value, Map.of()), setting.getKey() + " has a value without .env");
            assertTrue(missing.getMessage().contains(".env"), "the message says where to set it: " + missing);
        }
        // Set, they reach every service that needs them; the aggregator's REDIS_URL is checked above.
        assertEquals("redis-secret", interpolate(redisOption("--requirepass"), SET));
        assertEquals("redis-secret", interpolate((String) environment("redis").get("REDISCLI_AUTH"), SET));
        assertEquals("grafana-secret",
                interpolate((String) environment("grafana").get("GF_SECURITY_ADMIN_PASSWORD"), SET));
    }

    /** .env.example names every variable the compose file reads, and the .env made from it stays out of git. */
    @Test
    void theEnvExampleListsEveryVariableAndEnvIsIgnored() throws IOException {
        Set<String> example = DeployFiles.lines(DeployFiles.ENV_EXAMPLE).stream()
                .map(l -> l.split("=", 2)[0]).collect(Collectors.toSet());
        Set<String> commented = Files.readAllLines(DeployFiles.ENV_EXAMPLE).stream()
                .filter(l -> l.matches("#[A-Z_]+=.*")).map(l -> l.substring(1).split("=", 2)[0])
                .collect(Collectors.toSet());
        Set<String> referenced = new TreeSet<>();
        Matcher reference = DeployFiles.COMPOSE_VARIABLE.matcher(Files.readString(DeployFiles.COMPOSE));
        while (reference.find()) {
            referenced.add(reference.group(1));
        }
        assertTrue(example.containsAll(PASSWORDS), "the passwords are to be set: " + example);
        for (String name : referenced) {
            assertTrue(example.contains(name) || commented.contains(name), name + " is not in .env.example");
        }
        assertTrue(DeployFiles.lines(PROJECT.resolve(".gitignore")).contains(".env"), ".env holds the passwords");
    }

    /** Published ports listen on loopback unless BIND_ADDRESS opens them; the aggregator publishes none. */
    @Test
    void publishedPortsListenOnLoopbackByDefault() {
        int published = 0;
        for (var entry : services().entrySet()) {
            Object ports = map(entry.getValue(), entry.getKey()).get("ports");
            if (ports == null) {
                continue;
            }
            for (Object port : list(ports, entry.getKey() + ".ports")) {
                published++;
                String mapping = String.valueOf(port);
                assertTrue(interpolate(mapping, Map.of()).matches("127\\.0\\.0\\.1:\\d+:\\d+"),
                        entry.getKey() + " publishes " + mapping + " beyond loopback by default");
                assertTrue(interpolate(mapping, Map.of("BIND_ADDRESS", "0.0.0.0")).startsWith("0.0.0.0:"),
                        entry.getKey() + ": BIND_ADDRESS opens " + mapping);
            }
        }
        assertEquals(3, published, "the gateway, Prometheus and Grafana");
        for (String internal : List.of("aggregator", "publisher", "postgres", "redis")) {
            assertFalse(service(internal).containsKey("ports"), internal + " is reached inside the network only");
        }
    }

    /** A full Redis refuses writes (the aggregator answers 503) instead of evicting entries of the stream. */
    @Test
    void redisIsBoundedAndNeverEvicts() {
        assertEquals("noeviction", redisOption("--maxmemory-policy"));
        assertTrue(interpolate(redisOption("--maxmemory"), Map.of()).matches("\\d+(mb|gb)"),
                "a memory bound by default: " + redisOption("--maxmemory"));
        assertEquals("2gb", interpolate(redisOption("--maxmemory"), Map.of("REDIS_MAXMEMORY", "2gb")));
    }

    @Test
    void grafanaHasNoSignUpAndNoAnonymousAccess() {
        Map<String, Object> grafana = environment("grafana");
        assertEquals("false", String.valueOf(grafana.get("GF_USERS_ALLOW_SIGN_UP")));
        assertEquals("false", String.valueOf(grafana.get("GF_AUTH_ANONYMOUS_ENABLED")));
    }

    @Test
    void theAggregatorScalesBehindTheGateway() throws IOException {
        Map<String, Object> aggregator = service("aggregator");
        assertFalse(aggregator.containsKey("container_name"), "a fixed container name prevents --scale");
        assertFalse(aggregator.containsKey("ports"), "a fixed host port prevents --scale; the gateway publishes one");

        String nginx = Files.readString(PROJECT.resolve("src/main/docker/gateway/nginx.conf"));
        Matcher upstream = Pattern.compile("http://([a-z0-9-]+):(\\d+);").matcher(nginx);
        Set<String> proxied = new TreeSet<>();
        while (upstream.find()) {
            assertEquals("9080", upstream.group(2), "the servers' HTTP port");
            proxied.add(upstream.group(1));
        }
        assertEquals(Set.of("aggregator", "publisher"), proxied);

        Matcher listen = Pattern.compile("listen (\\d+);").matcher(nginx);
        assertTrue(listen.find());
        URI target = URI.create((String) environment("publisher").get("AGGREGATOR_URL"));
        assertEquals("gateway", target.getHost(), "the publisher sends through the entry point");
        assertEquals(Integer.parseInt(listen.group(1)), target.getPort());
        assertTrue(list(service("gateway").get("ports"), "gateway.ports").stream()
                .anyMatch(p -> String.valueOf(p).matches("(.*:)?" + listen.group(1) + ":" + listen.group(1))));
    }

    @Test
    void servicesWaitForTheReadinessOfWhatTheyNeed() {
        for (String name : List.of("aggregator", "publisher")) {
            String probe = String.valueOf(map(service(name).get("healthcheck"), name + ".healthcheck").get("test"));
            assertTrue(probe.contains("http://localhost:9080/health/ready"), name + " probes " + probe);
        }
        assertTrue(String.valueOf(map(service("postgres").get("healthcheck"), "healthcheck").get("test"))
                .contains("pg_isready"));
        assertTrue(String.valueOf(map(service("redis").get("healthcheck"), "healthcheck").get("test"))
                .contains("redis-cli ping"));
        assertWaitsForHealthy("aggregator", "postgres", "redis");
        assertWaitsForHealthy("gateway", "aggregator");
    }

    @Test
    void databaseAndBrokerKeepTheirDataDurably() {
        assertTrue(((String) service("postgres").get("image")).startsWith("postgres:16"));
        assertTrue(list(service("postgres").get("volumes"), "volumes")
                .contains("postgres-data:/var/lib/postgresql/data"));
        assertTrue(((String) service("redis").get("image")).startsWith("redis:7"));
        String command = String.join(" ", list(service("redis").get("command"), "command").stream()
                .map(String::valueOf).toList());
        assertTrue(command.contains("--appendonly yes") && command.contains("--appendfsync always"), command);
        assertTrue(list(service("redis").get("volumes"), "volumes").contains("redis-data:/data"));
    }

    private static void assertWaitsForHealthy(String service, String... dependencies) {
        Map<String, Object> dependsOn = map(service(service).get("depends_on"), service + ".depends_on");
        for (String dependency : dependencies) {
            assertEquals("service_healthy", map(dependsOn.get(dependency), dependency).get("condition"),
                    service + " must wait for " + dependency + " to be healthy");
        }
    }

    private static Map<String, Object> environment(String service) {
        return map(service(service).get("environment"), service + ".environment");
    }

    /** The value following {@code option} on Redis's command line. */
    private static String redisOption(String option) {
        List<Object> command = list(service("redis").get("command"), "redis.command");
        int at = command.indexOf(option);
        assertTrue(at >= 0 && at + 1 < command.size(), "redis runs without " + option + ": " + command);
        return String.valueOf(command.get(at + 1));
    }

    /** Every string (and number) in a YAML tree. */
    private static List<String> scalars(Object node) {
        if (node instanceof Map<?, ?> mapping) {
            return mapping.values().stream().flatMap(v -> scalars(v).stream()).toList();
        }
        if (node instanceof List<?> sequence) {
            return sequence.stream().flatMap(v -> scalars(v).stream()).toList();
        }
        return node == null ? List.of() : List.of(String.valueOf(node));
    }

    /**
     * Environment names the servers read: the {@code <variable>}s of both server.xml files and of the publisher
     * snippet the aggregator's includes, and the MicroProfile Config properties of both WARs, in the form Liberty
     * and MicroProfile Config map them from ({@code db.url} is {@code DB_URL}); with the telemetry feature, the
     * OpenTelemetry SDK's own variables that compose passes on.
     */
    static Set<String> variablesTheServersRead() {
        Set<String> names = new TreeSet<>();
        if (DeployFiles.xmlElements(PROJECT.resolve("src/main/liberty/config/server.xml"), "feature").stream()
                .anyMatch(feature -> feature.getTextContent().strip().startsWith("mpTelemetry-"))) {
            names.addAll(OPEN_TELEMETRY);
        }
        for (Path serverXml : List.of(PROJECT.resolve("src/main/liberty/config/server.xml"),
                PROJECT.resolve("src/main/liberty/config/publisher.xml"),
                PROJECT.resolve("publisher-war/src/main/liberty/config/server.xml"))) {
            DeployFiles.xmlElements(serverXml, "variable").forEach(v -> names.add(envName(v.getAttribute("name"))));
        }
        for (Path sources : List.of(PROJECT.resolve("src/main/java"), PROJECT.resolve("publisher-war/src/main/java"))) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    Matcher property = CONFIG_PROPERTY.matcher(Files.readString(file));
                    while (property.find()) {
                        names.add(envName(property.group(1)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** The environment variable a property maps from: {@code db.url} is {@code DB_URL}. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The variables of the configuration table, docs/configuration.md (the one table of every setting). */
    static Set<String> configurationTable() {
        try {
            Set<String> names = Files.readAllLines(CONFIGURATION).stream()
                    .map(CONFIGURATION_ROW::matcher).filter(Matcher::find).map(m -> m.group(1))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertFalse(names.isEmpty(), CONFIGURATION + " has no configuration table");
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
