package io.meridian.transparency;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs a unit of JDBC work in a transaction of its own: committed when it returns, rolled back when it throws. */
public interface Transactions {

    /** Work on one connection. */
    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    <T> T run(Work<T> work);

    /** A database error of the transparency log. */
    final class LogStoreException extends RuntimeException {
        public LogStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
