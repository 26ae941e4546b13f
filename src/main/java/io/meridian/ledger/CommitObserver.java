package io.meridian.ledger;

import java.util.Map;

/**
 * Who must see a change of holds the moment it commits: the replica's capacity view (the catalogue
 * implements this), so that this replica's own numbers are exact at once and never counted twice.
 */
public interface CommitObserver {

    /** A guard for the commit of one change, used by one thread. */
    Guard guard();

    /** Brackets one commit; see each method. */
    interface Guard {
        /** Called as the transaction's last step, after every statement and before the commit. */
        void committing();

        /**
         * Called after the commit with what it changed per data center. Never throws: the change is
         * committed, and a view it failed to reach is corrected by its next refresh.
         */
        void applied(Map<String, Holds> delta);

        /** Called in a finally block, for a commit that failed; idempotent. */
        void release();
    }

    /** An observer that sees nothing (tests of the ledger alone). */
    CommitObserver NONE = () -> new Guard() {
        @Override
        public void committing() {
        }

        @Override
        public void applied(Map<String, Holds> delta) {
        }

        @Override
        public void release() {
        }
    };
}
