package io.meridian.simulation;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets one simulation run at a time on this replica. A simulation is CPU-bound for up to about a
 * second at the default limits; two at once on a small replica would take the cores live routing
 * needs. A caller that finds the gate taken is turned away at once (429), never queued.
 */
@ApplicationScoped
public class SimulationGate {

    private final Semaphore permits = new Semaphore(1);

    /** The right to run one simulation; closing it (once or more) gives it back. */
    public final class Permit implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Permit() {
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                permits.release();
            }
        }
    }

    /** The permit when no other simulation holds it; empty at once otherwise. */
    public Optional<Permit> tryEnter() {
        return permits.tryAcquire() ? Optional.of(new Permit()) : Optional.empty();
    }
}
