package org.libertyevents.publisher.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.libertyevents.publisher.run.RunManager;

import java.util.logging.Logger;

/**
 * With {@code PUBLISHER_AUTOSTART=true}, starts one run with the default settings when the application starts,
 * like a container that sends its events and is done.
 */
@ApplicationScoped
public class RunAutostart {

    private static final Logger LOG = Logger.getLogger(RunAutostart.class.getName());

    @Inject
    private RunManager manager;

    @Inject
    @ConfigProperty(name = "publisher.autostart", defaultValue = "false")
    private boolean autostart;

    @Inject
    private RunDefaults defaults;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object application) {
        if (autostart) {
            manager.start(defaults.reader().read(JsonValue.EMPTY_JSON_OBJECT)).ifPresent(run ->
                    LOG.info(() -> "Autostarted run " + run.id() + " against " + run.settings().target()));
        }
    }
}
