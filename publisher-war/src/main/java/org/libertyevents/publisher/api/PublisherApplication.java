package org.libertyevents.publisher.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The publisher's REST API, under the context root {@code /publisher}. */
@ApplicationPath("/")
public class PublisherApplication extends Application {
}
