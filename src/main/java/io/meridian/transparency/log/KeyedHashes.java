package io.meridian.transparency.log;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * Account and meeting ids as keyed hashes (HMAC-SHA-256), so that the log says nothing about who a
 * fact concerns to anyone but that account, while the account can still recognise its own entries:
 *
 * <pre>
 *   account key   K_a          = HMAC-SHA-256(secret, "meridian-transparency/v1/account-key:" || account id)
 *   account hash               = HMAC-SHA-256(K_a, "account")
 *   meeting hash               = HMAC-SHA-256(K_a, "meeting:" || meeting id)        (ids as UTF-8)
 * </pre>
 *
 * The service's {@code secret} never leaves it. An account gets its own K_a from the API and can
 * then compute its account hash and the hash of any of its meeting ids; with K_a it learns nothing
 * about other accounts (their keys need the secret), and without it nobody can link an entry to an
 * id, even by trying every likely id.
 */
public final class KeyedHashes {

    static final String ACCOUNT_KEY_LABEL = "meridian-transparency/v1/account-key:";
    static final String ACCOUNT_LABEL = "account";
    static final String MEETING_LABEL = "meeting:";
    /** The shortest secret accepted, in bytes. */
    public static final int MIN_SECRET_BYTES = 32;

    private final SecretKeySpec secret;

    public KeyedHashes(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the hash secret must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** K_a of an account. */
    public byte[] accountKey(String accountId) {
        return hmac(secret, ACCOUNT_KEY_LABEL + accountId);
    }

    /** The account hash computed from the account's key K_a. */
    public static Hash accountHash(byte[] accountKey) {
        return new Hash(hmac(new SecretKeySpec(accountKey, "HmacSHA256"), ACCOUNT_LABEL));
    }

    /** The meeting hash of {@code meetingId} under the account's key K_a. */
    public static Hash meetingHash(byte[] accountKey, String meetingId) {
        return new Hash(hmac(new SecretKeySpec(accountKey, "HmacSHA256"), MEETING_LABEL + meetingId));
    }

    /** Account hash and, when there is a meeting id, meeting hash, under one key set-up. */
    public static Pair hashes(byte[] accountKey, Optional<String> meetingId) {
        Mac mac = mac(new SecretKeySpec(accountKey, "HmacSHA256"));
        Hash account = new Hash(mac.doFinal(ACCOUNT_LABEL.getBytes(StandardCharsets.UTF_8)));
        Optional<Hash> meeting = meetingId.map(m -> new Hash(mac.doFinal((MEETING_LABEL + m)
                .getBytes(StandardCharsets.UTF_8))));
        return new Pair(account, meeting);
    }

    /** An account hash and the meeting hash under the same key, if any. */
    public record Pair(Hash account, Optional<Hash> meeting) {
    }

    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    });

    private static Mac mac(SecretKeySpec key) {
        Mac mac = MACS.get();
        try {
            mac.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return mac;
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        return mac(key).doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}
