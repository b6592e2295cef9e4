package sluice.store.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.account.AdminRole;
import sluice.core.account.ApiToken;
import sluice.core.account.User;
import sluice.core.account.Users;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlUsersTest {

    @TempDir
    Path dir;

    private static final String HASH = "a".repeat(64);
    private final User ann = new User("u1", "Ann", "Ann A.", AdminRole.ORG_ADMIN, Set.of("org-a", "org-b"), true, "$argon2id$x");

    @Test
    void usersAndTheirOrganizationsSurviveARestartAndAreFoundByNameRegardlessOfCase() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.users().create(ann);
            store.users().create(new User("u2", "root", null, AdminRole.GLOBAL_ADMIN, Set.of(), false, null));
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.users().userByName("ANN")).contains(ann);
            assertThat(store.users().user("u2").orElseThrow().displayName()).isEqualTo("root");
            assertThat(store.users().users()).extracting(User::username).containsExactly("Ann", "root");
        }
    }

    @Test
    void aUsernameTakenInAnotherCaseIsAConflict() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.users().create(ann);
            assertThatThrownBy(() -> store.users().create(new User("u3", "aNN", null, AdminRole.HELPDESK, Set.of(), true, null)))
                    .isInstanceOf(Users.Conflict.class).hasMessageContaining("aNN");
            store.users().create(new User("u3", "bob", null, AdminRole.HELPDESK, Set.of(), true, null));
            assertThatThrownBy(() -> store.users().update(new User("u3", "ann", null, AdminRole.HELPDESK, Set.of(), true, null)))
                    .isInstanceOf(Users.Conflict.class);
        }
    }

    @Test
    void replacingThePasswordHashChangesOnlyTheHashAndOnlyIfItIsStillTheOneExpected() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.users().create(ann);
            User disabled = new User("u1", "Ann", "Ann A.", AdminRole.HELPDESK, Set.of("org-a"), false, "$argon2id$x");
            store.users().update(disabled);

            assertThat(store.users().replacePasswordHash("u1", "$argon2id$x", "$argon2id$y")).isTrue();
            assertThat(store.users().user("u1")).contains(disabled.withPasswordHash("$argon2id$y"));
            assertThat(store.users().replacePasswordHash("u1", "$argon2id$x", "$argon2id$z")).as("changed meanwhile").isFalse();
            assertThat(store.users().replacePasswordHash("nope", "$argon2id$y", "$argon2id$z")).isFalse();
            assertThat(store.users().user("u1").orElseThrow().passwordHash()).isEqualTo("$argon2id$y");
        }
    }

    @Test
    void updateReplacesTheOrganizationsAndMissingRowsAreNotFound() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.users().create(ann);
            User changed = new User("u1", "ann", "Ann", AdminRole.HELPDESK, Set.of("org-c"), false, null);
            store.users().update(changed);
            assertThat(store.users().user("u1")).contains(changed);
            assertThatThrownBy(() -> store.users().update(new User("nope", "x", null, AdminRole.HELPDESK, Set.of(), true, null)))
                    .isInstanceOf(Users.NotFound.class);
            assertThatThrownBy(() -> store.users().delete("nope")).isInstanceOf(Users.NotFound.class);
            assertThatThrownBy(() -> store.users().deleteToken("nope")).isInstanceOf(Users.NotFound.class);
        }
    }

    @Test
    void tokensAreFoundByTheirSecretHashAndGoWithTheirUser() {
        Instant created = Instant.parse("2025-06-01T12:00:00Z");
        ApiToken token = new ApiToken("t1", "u1", "ci", HASH, created, created.plusSeconds(60));
        ApiToken forever = new ApiToken("t2", "u1", "backup", "b".repeat(64), created.plusSeconds(1), null);
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.users().create(ann);
            store.users().createToken(token);
            store.users().createToken(forever);
            assertThat(store.users().tokenBySecretHash(HASH)).contains(token);
            assertThat(store.users().tokens("u1")).containsExactly(token, forever);
            assertThat(store.users().tokens(null)).hasSize(2);
            assertThatThrownBy(() -> store.users().createToken(new ApiToken("t3", "ghost", "x", "c".repeat(64), created, null)))
                    .isInstanceOf(Users.NotFound.class);

            store.users().delete("u1");
            assertThat(store.users().tokens(null)).isEmpty();
            assertThat(store.users().tokenBySecretHash(HASH)).isEmpty();
        }
    }
}
