package org.libertyevents.aggregator.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.libertyevents.aggregator.deploy.DeployFiles.PROJECT;

/**
 * The documentation stays navigable: the README is short enough that the quick start is what a newcomer reads
 * first, and every relative link of the README and of {@code docs/*.md} leads to a file that exists and, with a
 * {@code #fragment}, to a heading of that file (anchors as GitHub derives them).
 */
class DocsTest {

    /** 15 KiB: the README introduces and links, the details live under docs/. */
    static final long README_MAX_BYTES = 15_360;

    /** {@code [text](target)} and {@code ![alt](target)}; a target has no spaces (none here has a title). */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    @Test
    void theReadmeIsAtMost15KiB() throws IOException {
        long size = Files.size(PROJECT.resolve("README.md"));
        assertTrue(size <= README_MAX_BYTES, "README.md has " + size + " bytes, more than " + README_MAX_BYTES
                + ": move details to docs/ and link them");
    }

    @Test
    void everyRelativeLinkOfTheReadmeAndDocsLeadsToAFileAndHeading() {
        List<Path> pages = new ArrayList<>(List.of(PROJECT.resolve("README.md")));
        pages.addAll(markdownUnder(PROJECT.resolve("docs")));
        assertTrue(pages.size() > 5, "the docs pages are found: " + pages);
        int links = 0;
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            for (String target : relativeLinks(page)) {
                links++;
                problem(page, target).ifPresent(broken::add);
            }
        }
        assertTrue(links > 20, "the links are found: " + links);
        assertEquals(List.of(), broken, "broken links");
    }

    /** The checker itself: it catches a missing file, a missing heading, and accepts GitHub's anchors. */
    @Test
    void theCheckerFindsMissingFilesAndHeadings(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), """
                # Other page
                ## Backup and restore (PostgreSQL + Redis)
                ## Notes
                ## Notes
                ```
                # not a heading
                ```
                """);
        Files.writeString(dir.resolve("page.md"), """
                # Page `code`
                See [it](other.md#backup-and-restore-postgresql--redis), [the second](other.md#notes-1),
                [here](#page-code), ![img](other.md) and [web](https://example.org/x#y).
                `[not a link](nowhere.md)`
                [gone](missing.md), [no heading](other.md#not-a-heading), [no such](#nope)
                """);
        List<String> problems = relativeLinks(dir.resolve("page.md")).stream()
                .map(t -> problem(dir.resolve("page.md"), t)).flatMap(Optional::stream).toList();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("missing.md"), problems.get(0));
        assertTrue(problems.get(1).contains("#not-a-heading"), problems.get(1));
        assertTrue(problems.get(2).contains("#nope"), problems.get(2));
    }

    private static Optional<String> problem(Path page, String target) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : URLDecoder.decode(target.substring(hash + 1), StandardCharsets.UTF_8);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(
                URLDecoder.decode(file, StandardCharsets.UTF_8)).normalize();
        String where = PROJECT.relativize(page.toAbsolutePath()) + ": " + target;
        if (!Files.exists(resolved)) {
            return Optional.of(where + " (no file " + resolved + ")");
        }
        if (anchor != null && (!resolved.toString().endsWith(".md") || !anchors(resolved).contains(anchor))) {
            return Optional.of(where + " (no heading #" + anchor + " in " + resolved.getFileName() + ")");
        }
        return Optional.empty();
    }

    /** The relative link targets of a page, outside code blocks and inline code. */
    static List<String> relativeLinks(Path page) {
        List<String> targets = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (link.find()) {
                String target = link.group(1);
                if (!SCHEME.matcher(target).find()) {
                    targets.add(target);
                }
            }
        }
        return targets;
    }

    /** The anchors GitHub gives a page's headings: lower case, no punctuation, spaces as hyphens, repeats numbered. */
    static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(page)) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = heading.group(1).toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
                int repeat = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(repeat == 0 ? slug : slug + "-" + repeat);
            }
        }
        return anchors;
    }

    /** The lines of a page outside fenced code blocks. */
    private static List<String> prose(Path page) {
        List<String> lines = new ArrayList<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(page)) {
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                } else if (!fenced) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    private static List<Path> markdownUnder(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
