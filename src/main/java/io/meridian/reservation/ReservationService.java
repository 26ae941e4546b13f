package io.meridian.reservation;

import io.meridian.ledger.CapacityLedger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/**
 * The reservations of the API: renew and release a reserving plan's hold, through the capacity
 * ledger, which holds them (reserving plans take them through the routing path).
 */
@ApplicationScoped
public class ReservationService {

    private final CapacityLedger ledger;

    @Inject
    public ReservationService(CapacityLedger ledger) {
        this.ledger = ledger;
    }

    /** Extends a live lease; empty when the reservation expired, was released or never existed. */
    public Optional<ReservationView> renew(String id) {
        return ledger.renew(id).map(ReservationView::of);
    }

    /** Releases a live reservation at once; false when it expired, was released or never existed. */
    public boolean release(String id) {
        return ledger.release(id);
    }

    /** The releases in one batch transaction (see {@link CapacityLedger#releaseInOneBatch}); for tests. */
    List<Boolean> releaseInOneBatch(List<String> ids) {
        return ledger.releaseInOneBatch(ids);
    }

    /** Runs the expiry job now; for tests. */
    void removeExpired() {
        ledger.removeExpiredReservations();
    }
}
