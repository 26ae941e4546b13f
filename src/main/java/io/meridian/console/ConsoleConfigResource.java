package io.meridian.console;

import io.quarkus.arc.InjectableInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /console/config}: what the page needs before anyone signs in (the OIDC provider, whether
 * the development sign-in exists, the refresh interval). Public and secret-free: a public PKCE client
 * has no secret. Not part of the API, so not in the OpenAPI document.
 */
@Path("/console/config")
@PermitAll
public class ConsoleConfigResource {

    /** The OIDC settings the page uses; {@code scopes} always includes {@code openid}. */
    public record Oidc(String issuer, String clientId, List<String> scopes) {
    }

    /** The answer: {@code oidc} null when no provider is configured. */
    public record Settings(Oidc oidc, boolean devSignIn, long refreshIntervalMillis) {
    }

    private final Settings settings;

    @Inject
    public ConsoleConfigResource(ConsoleConfig config, InjectableInstance<DevTokens> devTokens) {
        ConsoleConfig.Oidc oidc = config.oidc();
        Oidc provider = oidc.issuer().filter(s -> !s.isBlank())
                .map(issuer -> new Oidc(issuer.strip(), oidc.clientId(), scopes(oidc.scopes()))).orElse(null);
        this.settings = new Settings(provider, devTokens.isResolvable(), config.refreshInterval().toMillis());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Settings settings() {
        return settings;
    }

    static List<String> scopes(String configured) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add("openid");
        Arrays.stream(configured.split("[\\s,]+")).filter(s -> !s.isBlank()).forEach(scopes::add);
        return List.copyOf(scopes);
    }
}
