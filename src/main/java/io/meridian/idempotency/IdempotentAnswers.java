package io.meridian.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.Optional;

/**
 * The Idempotency-Key rule of the API, for every request that takes one: a retry with the same key
 * and the same body gets the first answer; the same key with another body is refused (422); the
 * first answer is stored in the transaction that made its change.
 */
@ApplicationScoped
public class IdempotentAnswers {

    /** Who asks, with which key, for which body (its SHA-256). */
    public record Key(String caller, String key, String requestHash) {
    }

    private final IdempotencyStore store;
    private final ObjectMapper mapper;

    @Inject
    public IdempotentAnswers(IdempotencyStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /**
     * The first answer to this key, if one was stored.
     *
     * @throws ProblemException 422 idempotency-key-reused when it answered a different body
     */
    public <T> Optional<T> replay(Key key, Class<T> type) {
        Optional<IdempotencyStore.Stored> stored = store.find(key.caller(), key.key());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!stored.get().requestHash().equals(key.requestHash())) {
            throw ProblemException.of(ProblemType.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used for a "
                    + "different request; use a new key for a new request.");
        }
        try {
            return Optional.of(mapper.readValue(stored.get().response(), type));
        } catch (IOException e) {
            throw new IllegalStateException("stored answer cannot be read", e);
        }
    }

    /** Stores the first answer inside the caller's current transaction; a concurrent twin fails on the key. */
    public void store(Key key, Object answer) {
        try {
            store.insert(key.caller(), key.key(), key.requestHash(), mapper.writeValueAsString(answer));
        } catch (IOException e) {
            throw new IllegalStateException("answer cannot be stored", e);
        }
    }
}
