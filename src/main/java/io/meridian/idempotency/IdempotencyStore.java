package io.meridian.idempotency;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * First answers of requests sent with an {@code Idempotency-Key} (reserving plans, meeting creates),
 * per caller, so a retry gets the same answer and changes nothing more. The record is written in the
 * transaction that makes the change: both happen, or neither.
 */
@ApplicationScoped
public class IdempotencyStore {

    /** A stored first answer and the hash of the request it answered. */
    public record Stored(String requestHash, String response) {
    }

    private final EntityManager em;

    @Inject
    public IdempotencyStore(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public Optional<Stored> find(String caller, String key) {
        List<?> rows = em.createNativeQuery("select request_hash, response from idempotent_request "
                        + "where caller = ?1 and request_key = ?2")
                .setParameter(1, caller).setParameter(2, key).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Stored((String) row[0], (String) row[1]));
    }

    /** Stores an answer inside the caller's current transaction; a concurrent twin fails on the key. */
    public void insert(String caller, String key, String requestHash, String response) {
        em.createNativeQuery("insert into idempotent_request (caller, request_key, request_hash, response, created_at) "
                        + "values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, caller).setParameter(2, key).setParameter(3, requestHash).setParameter(4, response)
                .setParameter(5, Instant.now()).executeUpdate();
    }
}
