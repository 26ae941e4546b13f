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

    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("[\\x21-\\x7E]{1,200}");

    /**
     * The key of a request that sent the header, with the hash of its body.
     *
     * @throws ProblemException 400 when the key is not 1-200 printable ASCII characters
     */
    public static Optional<Key> of(String caller, String idempotencyKey, byte[] body) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        if (!KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.invalid("Idempotency-Key", "must be 1-200 printable ASCII characters");
        }
        return Optional.of(new Key(caller, idempotencyKey, sha256(body)));
    }

    /** Whether a header value is a usable key: 1-200 printable ASCII characters. */
    public static boolean validKey(String idempotencyKey) {
        return KEY.matcher(idempotencyKey).matches();
    }

    /** The hex SHA-256 of a request body, which tells a retry from a different request. */
    public static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
