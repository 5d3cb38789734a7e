package org.libertyevents.publisher.send;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Where runs may go: {@code AGGREGATOR_URL} (by default this server, {@code http://localhost:<HTTP_PORT>}) and the
 * origins of {@code PUBLISHER_TARGETS}. Read and checked when the application starts, so a misspelt entry stops
 * the deployment instead of failing runs later.
 */
@ApplicationScoped
public class Targets {

    private static final Logger LOG = Logger.getLogger(Targets.class.getName());

    @Inject
    @ConfigProperty(name = "aggregator.url")
    private Optional<String> aggregatorUrl;

    @Inject
    @ConfigProperty(name = "http.port", defaultValue = "9080")
    private int httpPort;

    @Inject
    @ConfigProperty(name = "publisher.targets")
    private Optional<String> targets;

    private URI aggregator;
    private TargetAllowList allowList;

    @PostConstruct
    void read() {
        aggregator = URI.create(aggregatorUrl.map(String::strip).filter(url -> !url.isEmpty())
                .orElse("http://localhost:" + httpPort));
        allowList = TargetAllowList.parse(aggregator, targets.orElse(""));
        LOG.info(() -> "The publisher sends to " + allowList.origins() + "; the API key goes to " + aggregator);
    }

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
        allowList(); // instantiates this bean: a bad setting fails the start
    }

    /** The default target, {@code AGGREGATOR_URL}. */
    public URI aggregatorUrl() {
        return aggregator;
    }

    public TargetAllowList allowList() {
        return allowList;
    }
}
