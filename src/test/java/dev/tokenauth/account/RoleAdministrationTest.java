package dev.tokenauth.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.HoldingUsers;
import dev.tokenauth.memory.InMemoryUsers;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserStoreUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Granting and revoking roles against in-memory users, including a change that loses a race. */
class RoleAdministrationTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final HoldingUsers users = new HoldingUsers();
    private final TestAccounts accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
    private final RoleAdministration roles = new RoleAdministration(users);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void shouldKeepBothChangesWhenAGrantIsOvertakenByARevoke() throws Exception {
        accounts.register("ada");
        roles.grant("ada", "admin");

        Future<Optional<User>> grant = pool.submit(() -> {
            users.holdNextWriteOf(Thread.currentThread());
            return roles.grant("ada", "editor");
        });
        users.awaitHeld();
        roles.revoke("ada", "admin");
        users.release();

        // The held grant's write failed its condition; decided again on the revoked user, it keeps the revoke.
        assertThat(grant.get().orElseThrow().roles()).containsExactly("editor");
        User stored = users.findByUsername("ada").orElseThrow();
        assertThat(stored.roles()).containsExactly("editor");
        assertThat(stored.sessions()).isEmpty();
        assertThat(stored.tokenCount()).isEqualTo(1);
    }

    @Test
    void shouldNotWriteWhenNothingChanges() {
        accounts.register("ada");
        roles.grant("ada", "admin");
        long revision = users.findByUsername("ada").orElseThrow().revision();

        assertThat(roles.grant("ada", "admin").orElseThrow().roles()).isEqualTo(Set.of("admin"));
        assertThat(roles.revoke("ada", "editor").orElseThrow().roles()).isEqualTo(Set.of("admin"));
        User stored = users.findByUsername("ada").orElseThrow();
        assertThat(stored.revision()).isEqualTo(revision);
        assertThat(stored.sessions()).hasSize(1);
    }

    @Test
    void shouldReportAnUnknownUserAsEmptyAndRefuseABadRoleName() {
        assertThat(roles.grant("nobody", "admin")).isEmpty();
        assertThat(roles.revoke("nobody", "admin")).isEmpty();
        accounts.register("ada");
        assertThatThrownBy(() -> roles.grant("ada", "Admin!"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorType.BAD_USER_INPUT));
    }

    @Test
    void shouldGiveUpAfterTheSharedNumberOfConflicts() {
        var alwaysConflicting = new InMemoryUsers() {
            @Override
            public boolean update(User updated) {
                return false;
            }
        };
        new TestAccounts(alwaysConflicting, 4, TestAccounts.SESSIONS).register("ada");

        assertThatThrownBy(() -> new RoleAdministration(alwaysConflicting).grant("ada", "admin"))
                .isInstanceOf(UserStoreUnavailableException.class);
    }
}
