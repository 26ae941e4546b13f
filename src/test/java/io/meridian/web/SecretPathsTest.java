package io.meridian.web;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SecretPathsTest {

    @Test
    void shouldMaskTheKeyOfAnIntegrationPath() {
        assertThat(SecretPaths.redact("/api/v1/integrations/jicofo/q3Vb0m8cX1yHkz2N5tP7wR9aD4fG6jL8sU0eI2oA1bC/bridge-selection"))
                .isEqualTo("/api/v1/integrations/jicofo/{integrationKey}/bridge-selection");
        assertThat(SecretPaths.redact("/api/v1/integrations/jicofo/anything")).isEqualTo("/api/v1/integrations/jicofo/{integrationKey}");
        assertThat(SecretPaths.redact("//api/v1/integrations/jicofo/x/y")).isEqualTo("//api/v1/integrations/jicofo/{integrationKey}/y");
    }

    @Test
    void shouldLeaveOtherPathsAlone() {
        assertThat(SecretPaths.redact("/api/v1/accounts/acme/integrations/jicofo/7d0c1c9e"))
                .isEqualTo("/api/v1/accounts/acme/integrations/jicofo/7d0c1c9e");
        assertThat(SecretPaths.redact("/api/v1/routing-plans")).isEqualTo("/api/v1/routing-plans");
        assertThat(SecretPaths.redact(null)).isNull();
    }

    @Test
    void theAccessLogGuardShouldRefuseAnAccessLogThatWouldWriteKeys() {
        assertThat(AccessLogGuard.check(false, Optional.empty())).isEmpty();
        assertThat(AccessLogGuard.check(true, Optional.of("/api/v1/integrations/.*"))).isEmpty();
        assertThat(AccessLogGuard.check(true, Optional.of("/q/.*|/api/v1/integrations/.*"))).isEmpty();
        assertThat(AccessLogGuard.check(true, Optional.empty())).isPresent();
        assertThat(AccessLogGuard.check(true, Optional.of("/q/.*"))).isPresent();
        assertThat(AccessLogGuard.check(true, Optional.of("(unclosed"))).isPresent();
    }
}
