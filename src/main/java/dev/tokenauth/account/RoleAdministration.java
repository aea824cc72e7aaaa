package dev.tokenauth.account;

import java.util.HashSet;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.user.ConflictRetry;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;
import dev.tokenauth.user.UsernameRules;

/**
 * Granting and revoking roles. Each change is a conditional write of the user, retried when
 * another request wrote first. Revoking a role also ends every session of the user: access
 * tokens carry roles, and no token minted with the revoked role may be refreshed.
 */
public final class RoleAdministration {

    /** What a role name may be: lower case, like {@code admin} or {@code note-editor}. */
    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    private final UserRepository users;

    public RoleAdministration(UserRepository users) {
        this.users = users;
    }

    /** The user with the role added, or empty when no such user exists. */
    public Optional<User> grant(String username, String role) {
        return change(username, role, user -> {
            var roles = new HashSet<>(user.roles());
            return roles.add(role) ? user.withRoles(roles) : user;
        });
    }

    /** The user without the role (all sessions ended if it had it), or empty when no such user exists. */
    public Optional<User> revoke(String username, String role) {
        return change(username, role, user -> {
            var roles = new HashSet<>(user.roles());
            return roles.remove(role) ? user.withRoles(roles).revokingAllSessions() : user;
        });
    }

    private Optional<User> change(String username, String role, UnaryOperator<User> change) {
        if (role == null || !NAME.matcher(role).matches()) {
            throw ApiError.of(ErrorType.BAD_USER_INPUT, "A role is 1 to 32 characters of a-z 0-9 _ -, starting with a letter");
        }
        Optional<String> name = UsernameRules.canonical(username);
        return ConflictRetry.untilWritten(() -> {
            Optional<User> current = name.flatMap(users::findByUsername);
            if (current.isEmpty()) {
                return ConflictRetry.Attempt.done(Optional.<User>empty());
            }
            User changed = change.apply(current.get());
            // Nothing to change (the role was already there, or never was): no write.
            return ConflictRetry.Attempt.writtenOr(changed == current.get() || users.update(changed), Optional.of(changed));
        });
    }
}
