package org.libertyevents.aggregator.deploy;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server of {@code ./mvnw liberty:run} and {@code liberty:dev} takes every setting of the README's configuration
 * table from the environment. Liberty resolves a variable from a bootstrap property, a JVM system property or a
 * {@code liberty.var.*} build property before the environment, so the build must pass none of those variables that
 * way: {@code HTTP_PORT=9099 ./mvnw liberty:run} listened on 9080 while the build wrote {@code http.port} into
 * bootstrap.properties. The integration-test servers pin their ports and settings on purpose and are not checked.
 */
class RunServerSettingsTest {

    private static final String PLUGIN = "liberty-maven-plugin";
    /** The execution that liberty:run and liberty:dev borrow their configuration from (aggregator-war.xml). */
    private static final String RUN_EXECUTION = "run-server";

    @Test
    void theRunServerGetsNoDocumentedSettingAsABootstrapOrSystemProperty() {
        Set<String> documented = ComposeFileTest.configurationTable();
        assertTrue(documented.containsAll(Set.of("HTTP_PORT", "HTTPS_PORT", "PUBLISHER_WAR")), documented.toString());
        List<String> pinned = pinnedProperties();
        assertFalse(pinned.isEmpty(), "the check reads the plugin's configuration: publisher.war.default at least");
        Set<String> overriding = new TreeSet<>();
        for (String property : pinned) {
            if (documented.contains(ComposeFileTest.envName(property))) {
                overriding.add(property + " (" + ComposeFileTest.envName(property) + ")");
            }
        }
        assertEquals(Set.of(), overriding, "set by the build for liberty:run, these beat their environment variables");
    }

    /** What the check reads: the plugin-level configuration, which the integration-test servers do not replace. */
    @Test
    void theCheckFindsThePluginAndTheRunExecution() {
        Element plugin = plugin();
        assertTrue(children(child(plugin, "executions"), "execution").stream()
                .anyMatch(e -> RUN_EXECUTION.equals(text(child(e, "id")))), "no execution " + RUN_EXECUTION);
        assertTrue(pinnedProperties().contains("publisher.war.default"), pinnedProperties().toString());
    }

    /**
     * The properties the build hands the run server ahead of the environment: the bootstrap properties and
     * {@code -D} JVM options of the plugin's configuration and of its run execution, and the project's
     * {@code liberty.var.*} and {@code liberty.bootstrap.*} properties (the plugin turns those into overriding
     * variables and bootstrap properties; {@code liberty.defaultVar.*} only sets defaults).
     */
    static List<String> pinnedProperties() {
        Element plugin = plugin();
        List<Element> configurations = new ArrayList<>();
        configurations.add(child(plugin, "configuration"));
        children(child(plugin, "executions"), "execution").stream()
                .filter(e -> RUN_EXECUTION.equals(text(child(e, "id"))))
                .forEach(e -> configurations.add(child(e, "configuration")));
        List<String> names = new ArrayList<>();
        for (Element configuration : configurations) {
            children(child(configuration, "bootstrapProperties"), null).forEach(p -> names.add(p.getTagName()));
            for (Element option : children(child(configuration, "jvmOptions"), "param")) {
                if (text(option).startsWith("-D")) {
                    names.add(text(option).substring(2).split("=", 2)[0]);
                }
            }
        }
        for (Element properties : DeployFiles.xmlElements(DeployFiles.PROJECT.resolve("aggregator-war.xml"),
                "properties")) {
            for (Element property : children(properties, null)) {
                for (String prefix : List.of("liberty.var.", "liberty.bootstrap.")) {
                    if (property.getTagName().startsWith(prefix)) {
                        names.add(property.getTagName().substring(prefix.length()));
                    }
                }
            }
        }
        return names;
    }

    /** The Liberty plugin of the aggregator module's build (not a profile's, not pluginManagement's). */
    private static Element plugin() {
        Element project = DeployFiles.xmlElements(DeployFiles.PROJECT.resolve("aggregator-war.xml"), "project")
                .get(0);
        return children(child(child(project, "build"), "plugins"), "plugin").stream()
                .filter(p -> PLUGIN.equals(text(child(p, "artifactId"))))
                .findFirst().orElseThrow(() -> new AssertionError("no " + PLUGIN + " in aggregator-war.xml"));
    }

    private static Element child(Element parent, String tag) {
        List<Element> found = parent == null ? List.of() : children(parent, tag);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Child elements, of one tag name or (null) all; none of a missing parent. */
    private static List<Element> children(Element parent, String tag) {
        List<Element> elements = new ArrayList<>();
        if (parent == null) {
            return elements;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (tag == null || element.getTagName().equals(tag))) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static String text(Element element) {
        return element == null ? "" : element.getTextContent().trim();
    }
}
