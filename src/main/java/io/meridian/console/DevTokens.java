package io.meridian.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Development tokens, signed (RS256) with the development key of {@code deploy/dev}, the same shape
 * {@code deploy/dev/token.sh} prints. Only in dev and test builds: the class is not in the packaged
 * service at all, and the prod profile refuses the development key anyway.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class DevTokens {

    /** A signed token and when it expires. */
    public record Token(String token, Instant expiresAt) {
    }

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectMapper json;
    private final String issuer;
    private final Duration lifetime;
    private final Path keyLocation;
    private volatile PrivateKey key;

    @Inject
    public DevTokens(ObjectMapper json, ConsoleConfig config,
                     @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        this.json = json;
        this.issuer = issuer;
        this.lifetime = config.devSignIn().tokenLifetime();
        this.keyLocation = Path.of(config.devSignIn().keyLocation());
    }

    /** A token for {@code subject} with the roles (the {@code groups} claim) and accounts. */
    public Token sign(String subject, List<String> roles, List<String> accounts, Instant now) {
        Instant expires = now.plus(lifetime);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", "meridian-dev");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", roles);
        claims.put("accounts", accounts);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        byte[] jti = new byte[16];
        RANDOM.nextBytes(jti);
        claims.put("jti", HexFormat.of().formatHex(jti));
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return new Token(signingInput + "." + BASE64URL.encodeToString(rsa.sign()), expires);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the development key " + keyLocation, e);
        }
    }

    private String encode(Map<String, Object> part) {
        try {
            return BASE64URL.encodeToString(json.writeValueAsBytes(part));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private PrivateKey key() throws GeneralSecurityException {
        PrivateKey loaded = key;
        if (loaded == null) {
            String pem;
            try {
                pem = Files.readString(keyLocation);
            } catch (IOException e) {
                throw new IllegalStateException("the development key " + keyLocation.toAbsolutePath()
                        + " cannot be read (meridian.console.dev-sign-in.key-location)", e);
            }
            String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            loaded = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            key = loaded;
        }
        return loaded;
    }
}
