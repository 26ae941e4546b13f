package io.meridian.security;

import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import io.meridian.web.Text;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which accounts the caller may manage (the token's {@code accounts} claim) and who the caller is.
 * A foreign account answers exactly like a missing right, whether the account exists or not.
 */
@RequestScoped
public class AccountScope {

    private final JsonWebToken token;

    @Inject
    public AccountScope(JsonWebToken token) {
        this.token = token;
    }

    /** @throws ProblemException 403 unless the token's accounts claim lists the account */
    public void requireAccount(String accountId) {
        if (!accounts(token.getClaim("accounts"), accountId)) {
            throw new ProblemException(Problem.of(ProblemType.FORBIDDEN,
                    "The token's roles or accounts do not allow this request."));
        }
    }

    /** The accounts the token's accounts claim lists (empty without one). */
    public List<String> accounts() {
        Object claim = token.getClaim("accounts");
        List<String> out = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString s) {
                    out.add(s.getString());
                }
            }
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(v -> out.add(String.valueOf(v)));
        } else if (claim instanceof JsonString s) {
            out.add(s.getString());
        } else if (claim instanceof String s) {
            out.add(s);
        }
        return out;
    }

    /** Longest caller name the audit columns hold. */
    static final int MAX_CALLER = 256;

    /**
     * The caller's name for audit records: the token's subject, else its upn. It is stored (as
     * updatedBy, createdBy, caller of an Idempotency-Key) and logged, so it is held to {@link Text}
     * and the columns' width: a signed token is trusted for who it names, not for what it contains.
     *
     * @throws ProblemException 400 when the name cannot be stored
     */
    public String caller() {
        String subject = token.getSubject();
        String name = subject != null && !subject.isBlank() ? subject : token.getName();
        if (name == null || name.isBlank()) {
            return "unknown";
        }
        if (name.length() > MAX_CALLER || !Text.storable(name)) {
            throw ProblemException.invalid("Authorization", "the token's sub (else upn) names the caller in audit "
                    + "records and must be at most " + MAX_CALLER + " characters; it " + Text.MESSAGE);
        }
        return name;
    }

    private static boolean accounts(Object claim, String accountId) {
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString s && s.getString().equals(accountId)) {
                    return true;
                }
            }
            return false;
        }
        if (claim instanceof Collection<?> collection) {
            return collection.stream().anyMatch(v -> accountId.equals(String.valueOf(v)));
        }
        if (claim instanceof JsonString s) {
            return s.getString().equals(accountId);
        }
        return claim instanceof String s && s.equals(accountId);
    }
}
