package org.libertyevents.bench.minimal;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The benchmark's minimal JAX-RS application (bench profile only): the least a Liberty server does to answer a
 * publish request, the ceiling the single scenario's requests per second are a ratio to.
 */
@ApplicationPath("/")
public class MinimalApplication extends Application {
}
