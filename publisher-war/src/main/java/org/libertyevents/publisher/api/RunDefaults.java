package org.libertyevents.publisher.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.libertyevents.publisher.send.Targets;

/** What a run request may ask for and gets unless it says otherwise: the allowed targets and the count bound. */
@ApplicationScoped
public class RunDefaults {

    @Inject
    private Targets targets;

    @Inject
    @ConfigProperty(name = "publisher.max.count", defaultValue = "10000000")
    private int maxCount;

    /** A reader that fills unspecified settings with the documented defaults. */
    RunRequestReader reader() {
        return new RunRequestReader(targets.aggregatorUrl(), targets.allowList(), maxCount);
    }
}
