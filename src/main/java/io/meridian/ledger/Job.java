package io.meridian.ledger;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One request waiting for a {@link GroupCommit}: its typed answer, completed after the transaction
 * that did its work committed (or exceptionally, when it did not).
 *
 * @param <R> the answer's type
 */
public interface Job<R> {

    CompletableFuture<R> result();

    /**
     * Data centers this job is known to need before it runs; empty when it learns them while running.
     * After a lock waited out, a job that needs every site of one that timed out fails at once instead
     * of waiting out the same lock again.
     */
    default Set<String> sites() {
        return Set.of();
    }
}
