package io.meridian.console;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleSecurityHeadersTest {

    @Test
    void connectSrcShouldAddTheIssuersOriginOnly() {
        Map<String, String> headers = ConsoleSecurityHeaders.of(Optional.of("https://Login.Example.com/realms/meridian"),
                Optional.of(List.of("https://tokens.example.net:8443/oauth2")));
        assertThat(headers.get("Content-Security-Policy"))
                .contains("connect-src 'self' https://login.example.com https://tokens.example.net:8443;")
                .doesNotContain("/realms");
    }

    @Test
    void withoutAProviderTheConsoleShouldReachOnlyItsOwnOrigin() {
        assertThat(ConsoleSecurityHeaders.of(Optional.empty(), Optional.empty()).get("Content-Security-Policy"))
                .contains("connect-src 'self';").contains("default-src 'none'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    }

    @Test
    void anIssuerThatIsNoHttpUrlShouldBeRefusedNamingTheSetting() {
        for (String bad : List.of("login.example.com", "ftp://login.example.com", "https://user@login.example.com/x",
                "https://", "'self' https://evil.example")) {
            assertThatThrownBy(() -> ConsoleSecurityHeaders.of(Optional.of(bad), Optional.empty()))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("meridian.console.oidc.issuer");
        }
    }
}
