package org.libertyevents.aggregator.deploy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The container and monitoring files (docker-compose.yml, the Dockerfile, Prometheus and Grafana configuration)
 * and the readers the checks use on them. Paths are relative to the project directory, where Maven runs the tests.
 */
public final class DeployFiles {

    public static final Path PROJECT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    public static final Path COMPOSE = PROJECT.resolve("docker-compose.yml");
    public static final Path DOCKERFILE = PROJECT.resolve("src/main/docker/Dockerfile");
    public static final Path DOCKERIGNORE = PROJECT.resolve(".dockerignore");
    public static final Path ENV_EXAMPLE = PROJECT.resolve(".env.example");
    public static final Path NGINX = PROJECT.resolve("src/main/docker/gateway/nginx.conf");
    public static final Path PROMETHEUS = PROJECT.resolve("src/main/docker/prometheus/prometheus.yml");
    public static final Path ALERTS = PROJECT.resolve("src/main/docker/prometheus/alerts.yml");
    public static final Path GRAFANA = PROJECT.resolve("src/main/docker/grafana");
    public static final Path DASHBOARDS = GRAFANA.resolve("dashboards");

    /** One COPY of the Dockerfile: its build stage, sources (relative to the context) and destination. */
    public record Copy(String stage, List<String> sources, String destination) {
    }

    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern COPY = Pattern.compile("(?i)^COPY\\s+(.*)$");
    /** A compose variable reference: {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?message}}. */
    public static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private DeployFiles() {
    }

    public static Map<String, Object> yaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return map(new Yaml().load(reader), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code node} as a YAML mapping; {@code what} names it in the failure. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node, String what) {
        return (Map<String, Object>) assertInstanceOf(Map.class, node, what + " is not a mapping");
    }

    /** {@code node} as a YAML sequence. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object node, String what) {
        return (List<Object>) assertInstanceOf(List.class, node, what + " is not a sequence");
    }

    /**
     * {@code value} as compose interpolates it with the variables {@code given} (the shell and {@code .env}): a
     * default stands in for a variable that is unset or empty, and a required variable ({@code :?}) that is unset
     * or empty fails with compose's message.
     */
    public static String interpolate(String value, Map<String, String> given) {
        Matcher reference = COMPOSE_VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (reference.find()) {
            String name = reference.group(1);
            String set = given.getOrDefault(name, "");
            String replacement = set;
            if (set.isEmpty() && ":-".equals(reference.group(2))) {
                replacement = reference.group(3);
            } else if (set.isEmpty() && ":?".equals(reference.group(2))) {
                throw new IllegalArgumentException(name + ": " + reference.group(3));
            } else if (reference.group(2) != null && !List.of(":-", ":?").contains(reference.group(2))) {
                throw new AssertionError("a compose variable form the checks do not know: " + reference.group());
            }
            reference.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        return reference.appendTail(result).toString();
    }

    public static Map<String, Object> services() {
        return map(yaml(COMPOSE).get("services"), "services");
    }

    public static Map<String, Object> service(String name) {
        return map(services().get(name), "service " + name);
    }

    public static JsonObject json(Path file) {
        try (JsonReader reader = Json.createReader(Files.newBufferedReader(file))) {
            return reader.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Grafana dashboards the compose file provisions. */
    public static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel of a dashboard, panels inside collapsed rows included. */
    public static List<JsonObject> panels(JsonObject dashboard) {
        List<JsonObject> panels = new ArrayList<>();
        for (JsonValue panel : dashboard.getJsonArray("panels")) {
            panels.add(panel.asJsonObject());
            if (panel.asJsonObject().containsKey("panels")) {
                panel.asJsonObject().getJsonArray("panels").forEach(inner -> panels.add(inner.asJsonObject()));
            }
        }
        return panels;
    }

    /** The PromQL of every query of every dashboard. */
    public static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        for (Path file : dashboards()) {
            for (JsonObject panel : panels(json(file))) {
                if (panel.containsKey("targets")) {
                    panel.getJsonArray("targets").forEach(t -> expressions.add(t.asJsonObject().getString("expr")));
                }
            }
        }
        return expressions;
    }

    /** The Dockerfile's COPY instructions (continuation lines joined), each with its stage. */
    public static List<Copy> dockerfileCopies() {
        List<Copy> copies = new ArrayList<>();
        String stage = null;
        String text;
        try {
            text = Files.readString(DOCKERFILE).replaceAll("\\\\\\R", " ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : text.lines().map(String::strip).filter(l -> !l.startsWith("#")).toList()) {
            Matcher from = FROM.matcher(line);
            Matcher copy = COPY.matcher(line);
            if (from.matches()) {
                stage = from.group(2);
            } else if (copy.matches()) {
                List<String> words = new ArrayList<>(List.of(copy.group(1).trim().split("\\s+")));
                words.removeIf(word -> word.startsWith("--chown=") || word.startsWith("--chmod="));
                if (words.stream().anyMatch(word -> word.startsWith("--"))) {
                    throw new AssertionError("a COPY option the checks do not know: " + line);
                }
                copies.add(new Copy(stage, words.subList(0, words.size() - 1), words.get(words.size() - 1)));
            }
        }
        return copies;
    }

    /** The file's lines, comments and blank lines left out. */
    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The elements of an XML file (server.xml) with this tag name. */
    public static List<Element> xmlElements(Path file, String tag) {
        try {
            NodeList nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
                    .getElementsByTagName(tag);
            List<Element> elements = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                elements.add((Element) nodes.item(i));
            }
            return elements;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }
}
