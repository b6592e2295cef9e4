package sluice.core.org;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordsTest {

    // Cheap parameters keep the suite fast; the algorithm is the same as OWASP's.
    private final Passwords passwords = new Passwords(64, 1, 1);

    @Test
    void verifiesTheReferenceImplementationsHashOfPassword() {
        // From the Argon2 reference implementation's test vectors (argon2id, v=19, salt "somesalt").
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        assertThat(passwords.verify("password", reference)).isTrue();
        assertThat(passwords.verify("Password", reference)).isFalse();
    }

    @Test
    void owaspHashIsPhcEncodedWithItsParametersAndVerifies() {
        String hash = Passwords.OWASP.hash("correct horse battery staple");

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(Passwords.OWASP.verify("correct horse battery staple", hash)).isTrue();
        assertThat(Passwords.OWASP.verify("correct horse battery stapl", hash)).isFalse();
        assertThat(Passwords.OWASP.needsRehash(hash)).isFalse();
    }

    @Test
    void saltsAreFreshSoEqualPasswordsHashDifferently() {
        assertThat(passwords.hash("secret")).isNotEqualTo(passwords.hash("secret"));
    }

    @Test
    void unicodeIsNormalisedBeforeHashing() {
        String composed = "p\u00e4ssword";      // ä as one code point
        String decomposed = "pa\u0308ssword";   // a + combining diaeresis

        assertThat(passwords.verify(decomposed, passwords.hash(composed))).isTrue();
    }

    @Test
    void malformedOrMissingHashesNeverVerifyAndNeverThrow() {
        assertThat(passwords.verify("x", null)).isFalse();
        assertThat(passwords.verify(null, passwords.hash("x"))).isFalse();
        assertThat(passwords.verify("x", "")).isFalse();
        assertThat(passwords.verify("x", "$2y$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(passwords.verify("x", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).isFalse();
        assertThat(passwords.verify("x", "$argon2id$v=19$m=64,t=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).isFalse();
        assertThat(passwords.verify("x", "$argon2id$v=19$m=64,t=1,p=1$!!!$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).isFalse();
    }

    @Test
    void hostileParametersInAStoredHashAreRefusedNotComputed() {
        String huge = "$argon2id$v=19$m=2147483647,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        assertThat(passwords.verify("password", huge)).isFalse();
        assertThat(passwords.needsRehash(huge)).isTrue();
    }

    @Test
    void weakerStoredHashesNeedARehash() {
        assertThat(Passwords.OWASP.needsRehash(passwords.hash("x"))).isTrue();
        assertThat(Passwords.OWASP.needsRehash("garbage")).isTrue();
    }
}
