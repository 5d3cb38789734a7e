package org.libertyevents.aggregator.deploy;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.libertyevents.aggregator.deploy.DeployFiles.DOCKERFILE;
import static org.libertyevents.aggregator.deploy.DeployFiles.PROJECT;
import static org.libertyevents.aggregator.deploy.DeployFiles.dockerfileCopies;

/**
 * The Dockerfile against the build and the server configuration: the Liberty image of the Maven build, the
 * Open Liberty image conventions, the drivers and WARs where server.xml looks for them, and a build context that
 * holds what it copies; the aggregator's image and server carry the publisher only by choice. That the build
 * output it copies exists after {@code package} is checked by
 * {@code it.org.libertyevents.aggregator.broker.ContainerMonitoringIT}.
 */
class ImageBuildTest {

    private static final Path AGGREGATOR_SERVER_XML = PROJECT.resolve("src/main/liberty/config/server.xml");
    private static final Path PUBLISHER_SERVER_XML =
            PROJECT.resolve("publisher-war/src/main/liberty/config/server.xml");
    private static final Path PUBLISHER_SNIPPET = PROJECT.resolve("src/main/liberty/config/publisher.xml");

    @Test
    void everyStageIsTheLibertyReleaseTheBuildRunsOn() {
        String version = DeployFiles.xmlElements(PROJECT.resolve("pom.xml"), "liberty.runtime.version").get(0)
                .getTextContent();
        List<String> lines = DeployFiles.lines(DOCKERFILE);
        assertTrue(lines.contains("ARG LIBERTY_IMAGE=icr.io/appcafe/open-liberty:" + version
                + "-kernel-slim-java17-openj9-ubi-minimal"), "the base image is Open Liberty " + version);
        List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(List.of("FROM ${LIBERTY_IMAGE} AS aggregator", "FROM ${LIBERTY_IMAGE} AS publisher"), froms);
    }

    @Test
    void eachStageFollowsTheImageConventions() {
        // Per stage, in order: server.xml into /config, features.sh, the applications, configure.sh last.
        for (String stage : List.of("aggregator", "publisher")) {
            List<String> steps = stageLines(stage).stream()
                    .filter(l -> l.startsWith("COPY ") || l.startsWith("RUN ")).map(l -> l.replaceAll("\\s+", " "))
                    .toList();
            assertTrue(steps.get(0).matches("COPY --chown=1001:0 \\S+/server.xml /config/"), stage + ": " + steps);
            assertEquals("RUN features.sh", steps.get(1), stage);
            assertTrue(steps.get(steps.size() - 1).startsWith("RUN configure.sh"), stage);
            assertTrue(steps.stream().filter(s -> s.startsWith("COPY "))
                            .allMatch(s -> s.startsWith("COPY --chown=1001:0 ")),
                    stage + ": files belong to the image's user 1001, group 0");
        }
    }

    @Test
    void theDriversAndApplicationsGoWhereServerXmlLooksForThem() {
        Set<String> libraryFiles = DeployFiles.xmlElements(AGGREGATOR_SERVER_XML, "file").stream()
                .map(f -> f.getAttribute("name").replace("${server.config.dir}/", "/config/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(libraryFiles, copiedTo("aggregator", "/config/jdbc/"));
        assertEquals(applications(AGGREGATOR_SERVER_XML), copiedTo("aggregator", "/config/apps/"));
        assertEquals(applications(PUBLISHER_SERVER_XML), copiedTo("publisher", "/config/apps/"));
    }

    /** Compose runs the publisher in a container of its own; the aggregator's image has neither its WAR nor its snippet. */
    @Test
    void theAggregatorImageDoesNotCarryThePublisher() {
        List<String> aggregatorSources = dockerfileCopies().stream().filter(c -> "aggregator".equals(c.stage()))
                .flatMap(c -> c.sources().stream()).toList();
        assertFalse(aggregatorSources.isEmpty());
        for (String source : aggregatorSources) {
            assertFalse(source.contains("publisher"), "the aggregator image copies " + source);
        }
    }

    /**
     * server.xml deploys the publisher only through an optional include whose location is a variable (so
     * PUBLISHER_CONFIG turns it off, and a server without the snippet, as in the image, starts without a warning);
     * the snippet it names by default is the one that deploys the publisher.
     */
    @Test
    void theServerDeploysThePublisherOnlyThroughAnOptionalInclude() {
        for (Element application : DeployFiles.xmlElements(AGGREGATOR_SERVER_XML, "webApplication")) {
            assertFalse(application.getAttribute("location").contains("publisher"),
                    "server.xml deploys the publisher unconditionally");
        }
        List<Element> includes = DeployFiles.xmlElements(AGGREGATOR_SERVER_XML, "include");
        assertEquals(1, includes.size(), "one include, the publisher's");
        assertEquals("true", includes.get(0).getAttribute("optional"));
        assertEquals("${publisher.config}", includes.get(0).getAttribute("location"));
        assertEquals(PUBLISHER_SNIPPET.getFileName().toString(), DeployFiles.xmlElements(AGGREGATOR_SERVER_XML,
                "variable").stream().filter(v -> "publisher.config".equals(v.getAttribute("name")))
                .map(v -> v.getAttribute("defaultValue")).findFirst().orElse("no publisher.config variable"));
        List<Element> publisher = DeployFiles.xmlElements(PUBLISHER_SNIPPET, "webApplication");
        assertEquals(1, publisher.size());
        assertEquals("${publisher.war}", publisher.get(0).getAttribute("location"));
        assertEquals("${publisher.context.root}", publisher.get(0).getAttribute("contextRoot"));
        assertFalse(DeployFiles.lines(DeployFiles.DOCKERIGNORE).contains("!src/main/liberty/config/publisher.xml"),
                "the snippet stays out of the image's build context");
    }

    @Test
    void everySourceFileItCopiesExists() {
        for (DeployFiles.Copy copy : dockerfileCopies()) {
            for (String source : copy.sources()) {
                if (!isBuildOutput(source)) {
                    assertTrue(Files.exists(PROJECT.resolve(source)), "COPY of a missing " + source);
                }
            }
        }
    }

    @Test
    void theBuildContextHoldsEveryFileItCopiesAndNothingElse() {
        List<String> ignore = DeployFiles.lines(DeployFiles.DOCKERIGNORE);
        assertEquals("*", ignore.get(0), "everything else stays out of the context");
        Set<String> included = ignore.stream().filter(l -> l.startsWith("!")).map(l -> l.substring(1))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> copied = dockerfileCopies().stream().flatMap(c -> c.sources().stream())
                .map(s -> s.replaceAll("/$", "")).collect(Collectors.toCollection(TreeSet::new));
        for (String source : copied) {
            assertTrue(included.stream().anyMatch(i -> source.equals(i) || source.startsWith(i + "/")),
                    source + " is not in the build context (.dockerignore)");
        }
        assertFalse(included.isEmpty());
    }

    /** Whether a COPY source is made by the Maven build (under a module's target/), rather than kept in git. */
    static boolean isBuildOutput(String source) {
        return source.startsWith("target/") || source.contains("/target/");
    }

    /** Where each file copied to {@code directory} in {@code stage} ends up. */
    private static Set<String> copiedTo(String stage, String directory) {
        return dockerfileCopies().stream()
                .filter(c -> stage.equals(c.stage()) && directory.equals(c.destination()))
                .flatMap(c -> c.sources().stream())
                .map(s -> directory + Path.of(s).getFileName())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The WARs a server.xml deploys, as paths under /config/apps/ (a location variable at its default). */
    private static Set<String> applications(Path serverXml) {
        List<Element> variables = DeployFiles.xmlElements(serverXml, "variable");
        Set<String> apps = new TreeSet<>();
        for (Element application : DeployFiles.xmlElements(serverXml, "webApplication")) {
            String location = application.getAttribute("location");
            for (Element variable : variables) {
                location = location.replace("${" + variable.getAttribute("name") + "}",
                        variable.getAttribute("defaultValue"));
            }
            assertFalse(location.contains("/") || location.contains("$"), "not a file in apps/: " + location);
            apps.add("/config/apps/" + location);
        }
        return apps;
    }

    private static List<String> stageLines(String stage) {
        List<String> lines = DeployFiles.lines(DOCKERFILE);
        int start = lines.indexOf("FROM ${LIBERTY_IMAGE} AS " + stage);
        assertTrue(start >= 0, "no stage " + stage);
        return lines.subList(start + 1, lines.size()).stream().takeWhile(l -> !l.startsWith("FROM ")).toList();
    }
}
