package io.meridian.console;

import io.meridian.security.Roles;
import io.meridian.web.Ids;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /console/dev-sign-in}: the console's development sign-in. Anyone who can reach it gets
 * a token with any roles, so it exists only in dev and test builds (a packaged-jar test proves the
 * path answers 404 there), and what it signs is refused by production, which rejects the
 * development key.
 */
@Path("/console/dev-sign-in")
@PermitAll
@IfBuildProfile(anyOf = {"dev", "test"})
public class DevSignInResource {

    private static final Logger LOG = Logger.getLogger(DevSignInResource.class);
    private static final Set<String> ROLES = Set.of(Roles.MEETING_CLIENT, Roles.REGION_ADMIN, Roles.OPS);
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._:@-]{1,64}");
    static final int MAX_ACCOUNTS = 50;

    /** Who to sign in as. */
    public record Request(String subject, List<String> roles, List<String> accounts) {
    }

    /** The token and what it carries. */
    public record Answer(String token, Instant expiresAt, String subject, List<String> roles, List<String> accounts) {
    }

    private final DevTokens tokens;

    @Inject
    public DevSignInResource(DevTokens tokens) {
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Answer signIn(Request request) {
        if (request == null) {
            throw ProblemException.invalid("body", "is required: {\"subject\", \"roles\", \"accounts\"}");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String subject = request.subject() == null || request.subject().isBlank() ? "dev-user" : request.subject();
        if (!SUBJECT.matcher(subject).matches()) {
            errors.add(new Problem.FieldError("subject", "must be 1-64 letters, digits or . _ : @ -"));
        }
        Set<String> roles = new LinkedHashSet<>();
        if (request.roles() == null || request.roles().isEmpty()) {
            errors.add(new Problem.FieldError("roles", "choose at least one of " + String.join(", ", sorted(ROLES))));
        } else {
            for (int i = 0; i < request.roles().size(); i++) {
                String role = request.roles().get(i);
                if (role == null || !ROLES.contains(role)) {
                    errors.add(new Problem.FieldError("roles[" + i + "]", "must be one of " + String.join(", ", sorted(ROLES))));
                } else {
                    roles.add(role);
                }
            }
        }
        Set<String> accounts = new LinkedHashSet<>();
        if (request.accounts() != null) {
            if (request.accounts().size() > MAX_ACCOUNTS) {
                errors.add(new Problem.FieldError("accounts", "at most " + MAX_ACCOUNTS + " accounts"));
            } else {
                for (int i = 0; i < request.accounts().size(); i++) {
                    String account = request.accounts().get(i);
                    if (!Ids.valid(account)) {
                        errors.add(new Problem.FieldError("accounts[" + i + "]", Ids.MESSAGE));
                    } else {
                        accounts.add(account);
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        DevTokens.Token token = tokens.sign(subject, List.copyOf(roles), List.copyOf(accounts),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        LOG.infof("Development sign-in: %s with roles %s, accounts %s", subject, roles, accounts);
        return new Answer(token.token(), token.expiresAt(), subject, List.copyOf(roles), List.copyOf(accounts));
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
