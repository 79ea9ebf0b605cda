package dev.tenantry.bcrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BcryptTest {

    /** From node.bcrypt.js / OpenBSD test vectors: "U*U" with cost 5. */
    private static final String OPENBSD_2A = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

    @Test
    void hashesFromOtherBcryptImplementationsVerify() {
        BcryptHash hash = BcryptHash.parse(OPENBSD_2A);
        assertThat(hash.version()).isEqualTo("2a");
        assertThat(hash.cost()).isEqualTo(5);
        assertThat(Bcrypt.verify("U*U", hash)).isTrue();
        assertThat(Bcrypt.verify("U*V", hash)).isFalse();
    }

    @Test
    void aFreshHashVerifiesTheSamePasswordOnly() {
        BcryptHash hash = Bcrypt.hash("correct horse", 4);
        assertThat(hash.encoded()).startsWith("$2b$04$");
        assertThat(Bcrypt.verify("correct horse", hash)).isTrue();
        assertThat(Bcrypt.verify("correct horsE", hash)).isFalse();
        assertThat(Bcrypt.verify(null, hash)).isFalse();
    }

    @Test
    void passwordsLongerThan72BytesAreTruncatedLikeOtherImplementations() {
        String base = "a".repeat(72);
        BcryptHash hash = Bcrypt.hash(base + "tail-one", 4);
        assertThat(Bcrypt.verify(base + "tail-two", hash)).isTrue();
    }

    @Test
    void malformedHashesAreRefusedWithAReasonThatDoesNotRepeatThem() {
        String good = Bcrypt.hash("x", 4).encoded();
        assertThatThrownBy(() -> BcryptHash.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> BcryptHash.parse("$2b$10$short")).hasMessageContaining("60 characters");
        assertThatThrownBy(() -> BcryptHash.parse("$2x$" + good.substring(4))).hasMessageContaining("$2a$/$2b$/$2y$");
        assertThatThrownBy(() -> BcryptHash.parse("$1$" + good.substring(3))).hasMessageContaining("not a bcrypt hash");
        assertThatThrownBy(() -> BcryptHash.parse(good.substring(0, 59) + "!"))
                .hasMessageContaining("alphabet").message().doesNotContain(good.substring(7));
    }

    @Test
    void costsOutsideTheSupportedRangeAreRefused() {
        String good = Bcrypt.hash("x", 4).encoded();
        assertThatThrownBy(() -> BcryptHash.parse("$2b$03$" + good.substring(7))).hasMessageContaining("cost 3");
        assertThatThrownBy(() -> BcryptHash.parse("$2b$16$" + good.substring(7))).hasMessageContaining("cost 16");
        assertThatThrownBy(() -> BcryptHash.parse("$2b$31$" + good.substring(7))).hasMessageContaining("supported: 4 to 15");
        assertThatThrownBy(() -> Bcrypt.hash("x", 20)).hasMessageContaining("cost 20");
    }
}
