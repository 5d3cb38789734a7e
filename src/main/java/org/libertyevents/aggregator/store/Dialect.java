package org.libertyevents.aggregator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The database products the store runs on, told apart by the JDBC driver's product name. */
public enum Dialect {
    POSTGRESQL("postgresql", new PostgresWriter(), new PostgresReceipts()),
    H2("h2", new H2Writer(), new H2Receipts());

    private final String scriptFolder;
    private final DialectWriter writer;
    private final ReceiptWriter receipts;

    Dialect(String scriptFolder, DialectWriter writer, ReceiptWriter receipts) {
        this.scriptFolder = scriptFolder;
        this.writer = writer;
        this.receipts = receipts;
    }

    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new SQLException("unsupported database product: " + product + " (use PostgreSQL or H2)", "0A000");
    }

    /** Class-path folder of this product's migration scripts. */
    String scriptFolder() {
        return "db/" + scriptFolder;
    }

    DialectWriter writer() {
        return writer;
    }

    ReceiptWriter receipts() {
        return receipts;
    }
}
