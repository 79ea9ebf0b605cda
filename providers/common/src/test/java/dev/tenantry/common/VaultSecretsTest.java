package dev.tenantry.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VaultSecretsTest {

    @Test
    void onlyACompleteReferenceIsAVaultReference() {
        assertThat(VaultSecrets.isReference("${vault.roles-api}")).isTrue();
        assertThat(VaultSecrets.isReference("${vault.roles-api")).isFalse();
        assertThat(VaultSecrets.isReference("s3cr3t")).isFalse();
        assertThat(VaultSecrets.entry("${vault.roles-api}")).isEqualTo("roles-api");
    }
}
