package io.meridian.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The admin console at {@code /console/}: how people sign in and how often the pages refresh. */
@ConfigMapping(prefix = "meridian.console")
public interface ConsoleConfig {

    /** Sign-in with an OpenID Connect provider (authorization code with PKCE, in the browser). */
    Oidc oidc();

    /** How often the map and the ops page fetch the data centers again. */
    @WithDefault("5s")
    Duration refreshInterval();

    /** The development sign-in, which exists only in builds of the dev and test profiles. */
    DevSignIn devSignIn();

    interface Oidc {

        /**
         * The provider's issuer URL (for Keycloak {@code https://host/realms/NAME}); unset: no OIDC
         * sign-in, only a pasted token (and the development sign-in in dev). Its origin is added to the
         * console's {@code connect-src}, so the page may fetch the discovery document and the token.
         */
        Optional<String> issuer();

        /** The console's client id at the provider: a public client with PKCE (S256). */
        @WithDefault("meridian-console")
        String clientId();

        /** Scopes asked for, space-separated; {@code openid} is always asked for. */
        @WithDefault("openid")
        String scopes();

        /**
         * Further origins the page must reach, when the provider's token endpoint is not on the issuer's
         * origin (each {@code https://host[:port]}).
         */
        Optional<List<String>> extraOrigins();
    }

    interface DevSignIn {

        /** PEM (PKCS#8) private key the development tokens are signed with. */
        @WithDefault("deploy/dev/private-key.pem")
        String keyLocation();

        /** Lifetime of a development token. */
        @WithDefault("PT1H")
        Duration tokenLifetime();
    }
}
