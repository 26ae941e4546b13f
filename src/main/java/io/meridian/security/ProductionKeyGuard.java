package io.meridian.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to start a production run (the packaged service, prod profile) that would accept tokens
 * it should not: no verification key, no issuer, or the development key pair of {@code deploy/dev}.
 */
@Singleton
public class ProductionKeyGuard {

    private static final Logger LOG = Logger.getLogger(ProductionKeyGuard.class);

    /** Base64 body of {@code deploy/dev/public-key.pem}, whitespace removed. */
    static final String DEV_PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApPs3+uiaJ70FwWMahZrfdGltAfgkQNe4w8dksEukC2Mq70"
            + "grWlRZUgcxEW8GRywQBXHVny7u8q0sUqZ9aRPrR6GD0u/hQgFe0OtVrjEtWQdhM0GyXIqJ9X5FCEB3ewqBm2FYQ/ln"
            + "OTheaTSPb9TWuJZGgQWNEH9v+O4sSt87usKQFjBW6DvsqvKg6lBJ3CnUdi+GY6sul33tnSCeifQ5L0V8iS4cSIjVl9"
            + "jeImKHMCGnF+duKDP9LkvUFlw72ahGIJl7lmtyUkGGQfdUwDR5YJQJd8Eg+siVLNIjid25fQlWuR0ygHLnY+U2UBoN"
            + "yg+l7nYQKA+TMIohfxiBEdXxOwIDAQAB";
    /** Modulus of the development key, base64url, as a JWKS document would carry it in "n". */
    static final String DEV_MODULUS = "pPs3-uiaJ70FwWMahZrfdGltAfgkQNe4w8dksEukC2Mq70grWlRZUgcxEW8GRywQBXHVny7u8q0sUqZ9aRPrR6GD0u"
            + "_hQgFe0OtVrjEtWQdhM0GyXIqJ9X5FCEB3ewqBm2FYQ_lnOTheaTSPb9TWuJZGgQWNEH9v-O4sSt87usKQFjBW6Dvs"
            + "qvKg6lBJ3CnUdi-GY6sul33tnSCeifQ5L0V8iS4cSIjVl9jeImKHMCGnF-duKDP9LkvUFlw72ahGIJl7lmtyUkGGQf"
            + "dUwDR5YJQJd8Eg-siVLNIjid25fQlWuR0ygHLnY-U2UBoNyg-l7nYQKA-TMIohfxiBEdXxOw";
    /** Issuer of the development tokens minted by {@code deploy/dev/token.sh}. */
    static final String DEV_ISSUER = "https://meridian.example/dev";

    void onStart(@Observes StartupEvent event, Config config) {
        // only the packaged service in the prod profile: dev mode, tests and explicit dev runs are exempt
        if (LaunchMode.current() != LaunchMode.NORMAL || !ConfigUtils.isProfileActive("prod")) {
            return;
        }
        List<String> problems = check(config.getOptionalValue("mp.jwt.verify.publickey", String.class),
                config.getOptionalValue("mp.jwt.verify.publickey.location", String.class),
                config.getOptionalValue("mp.jwt.verify.issuer", String.class));
        if (!problems.isEmpty()) {
            String message = "Refusing to start: token verification is not configured for production.\n  - "
                    + String.join("\n  - ", problems);
            LOG.error(message);
            throw new IllegalStateException(message);
        }
    }

    /** Everything wrong with a production token configuration; empty when it is fine. */
    static List<String> check(Optional<String> inlineKey, Optional<String> keyLocation, Optional<String> issuer) {
        List<String> problems = new ArrayList<>();
        if (inlineKey.isEmpty() && keyLocation.isEmpty()) {
            problems.add("no verification key: set MP_JWT_VERIFY_PUBLICKEY_LOCATION (mp.jwt.verify.publickey.location) "
                    + "to a PEM public key file or a JWKS URL, or MP_JWT_VERIFY_PUBLICKEY to the key itself");
        }
        if (inlineKey.map(ProductionKeyGuard::isDevKey).orElse(false)
                || keyLocation.flatMap(ProductionKeyGuard::read).map(ProductionKeyGuard::isDevKey).orElse(false)) {
            problems.add("the configured key is the development key of deploy/dev, which anyone can sign tokens "
                    + "with: configure your identity provider's public key or JWKS URL instead");
        }
        if (issuer.isEmpty() || issuer.get().isBlank()) {
            problems.add("no token issuer: set MP_JWT_VERIFY_ISSUER (mp.jwt.verify.issuer) to your identity "
                    + "provider's issuer");
        } else if (issuer.get().strip().equals(DEV_ISSUER)) {
            problems.add("the issuer is the development issuer " + DEV_ISSUER
                    + ": set MP_JWT_VERIFY_ISSUER to your identity provider's issuer");
        }
        return problems;
    }

    static boolean isDevKey(String content) {
        String compact = content.replaceAll("\\s", "");
        return compact.contains(DEV_PUBLIC_KEY) || compact.contains(DEV_MODULUS);
    }

    /** Content of a local key file or class-path resource; empty for URLs and unreadable locations. */
    private static Optional<String> read(String location) {
        String path = location.strip();
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return Optional.empty();
        }
        try {
            if (path.startsWith("classpath:")) {
                try (InputStream in = ProductionKeyGuard.class.getClassLoader()
                        .getResourceAsStream(path.substring("classpath:".length()).replaceFirst("^/", ""))) {
                    return in == null ? Optional.empty()
                            : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            Path file = Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path);
            if (Files.isRegularFile(file)) {
                return Optional.of(Files.readString(file));
            }
            try (InputStream in = ProductionKeyGuard.class.getClassLoader().getResourceAsStream(path)) {
                return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
