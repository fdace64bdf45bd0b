package dev.hostops.node.store.internal;

import dev.hostops.node.store.StoreException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Turns SQLite's errors into {@link StoreException}s with a stable code, in one place. */
final class SqlErrors {
    private SqlErrors() {}

    static StoreException translate(SQLException e, Path file, String doing) {
        int primary = primaryCode(e);
        String where = " (" + file + ")";
        if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return new StoreException(StoreException.Code.BUSY, "could not " + doing
                    + ": another process held the node store locked longer than the busy timeout" + where, e);
        }
        if (primary == SQLiteErrorCode.SQLITE_FULL.code) {
            return new StoreException(StoreException.Code.DISK_FULL, "could not " + doing
                    + ": the disk holding the node store is full" + where, e);
        }
        if (primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return new StoreException(StoreException.Code.CORRUPT, "could not " + doing
                    + ": the node store file is damaged or is not a node store" + where, e);
        }
        return new StoreException(StoreException.Code.IO_ERROR, "could not " + doing + ": " + e.getMessage() + where, e);
    }

    /** SQLite's primary result code (the low byte of an extended code such as SQLITE_BUSY_SNAPSHOT). */
    private static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != null) {
            return se.getResultCode().code & 0xff;
        }
        return e.getErrorCode() & 0xff;
    }
}
