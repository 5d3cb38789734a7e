package org.libertyevents.aggregator.store;

import java.io.IOException;
import java.util.List;

/** The service's own migration scripts, for tests that build a schema of an earlier version by hand. */
public final class MigrationScripts {

    private MigrationScripts() {
    }

    /** The name of migration {@code version} (1-based), as {@code schema_version} records it. */
    public static String name(int version) {
        return SchemaMigrator.MIGRATIONS.get(version - 1);
    }

    /** The statements of migration {@code version} for PostgreSQL, split as the service splits them. */
    public static List<String> postgres(int version) throws IOException {
        return SchemaMigrator.statements("db/postgresql/V" + version + "__" + name(version) + ".sql");
    }
}
