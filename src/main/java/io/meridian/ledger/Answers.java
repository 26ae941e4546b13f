package io.meridian.ledger;

import io.meridian.db.Pipeline;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch transaction answers and changes: per job its answer, per data center its change of
 * holds. Nothing reaches a job until the transaction has committed.
 */
public final class Answers {

    private final List<Runnable> completions = new ArrayList<>();
    private final Map<String, Holds> delta = new HashMap<>();
    private final Runnable committing;
    private boolean committedWithLast;

    /** @param committing run just before the transaction's commit is sent (see {@link #commitWith}) */
    Answers(Runnable committing) {
        this.committing = committing;
    }

    /** Answers of a transaction that commits only after its batch (tests of one batch). */
    Answers() {
        this(() -> {
        });
    }

    /**
     * Runs the transaction's last statements and, on PostgreSQL, its commit with them, as the final
     * statement of the same round trip: one round trip less per batch. The transaction manager's own
     * commit then finds nothing to do. No statement may run on the connection after this one (it
     * would start a transaction of its own). Elsewhere the statements run and the transaction commits
     * after the batch, as without this.
     */
    public void commitWith(Pipeline last) throws SQLException {
        committing.run();
        committedWithLast = last.commitLast();
        last.run();
    }

    /** Whether the commit went with the batch's last statements (their failure then tells whether it did). */
    boolean committedWithLast() {
        return committedWithLast;
    }

    /** The answer {@code job} gets once the transaction commits. */
    public <R> void answer(Job<R> job, R value) {
        completions.add(() -> job.result().complete(value));
    }

    /** Something to do once the transaction has committed, before the answers are given (records, metrics). */
    public void onCommit(Runnable action) {
        completions.add(action);
    }

    /** Adds a change of holds on one data center (negative counts give places back). */
    public void change(String dataCenter, Holds change) {
        if (!change.isNone()) {
            delta.merge(dataCenter, change, Holds::plus);
        }
    }

    /** The change of holds per data center, so far. */
    public Map<String, Holds> delta() {
        return delta;
    }

    void complete() {
        for (Runnable completion : completions) {
            try {
                completion.run();
            } catch (RuntimeException e) {
                // committed all the same: one failing action must not keep the others' answers back
                org.jboss.logging.Logger.getLogger(Answers.class).error("An action after a commit failed", e);
            }
        }
    }
}
