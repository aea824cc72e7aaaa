package dev.tokenauth.user;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.token.TokenService;

/** Registration, login, logout and the refresh check: everything that reads or writes a user. */
public final class AccountService {

    private static final String BAD_CREDENTIALS = "Invalid username or password";

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final Clock clock;
    private final boolean registrationEnabled;

    public AccountService(UserRepository users, PasswordHasher hasher, TokenService tokens, Clock clock,
                          boolean registrationEnabled) {
        this.users = users;
        this.hasher = hasher;
        this.tokens = tokens;
        this.clock = clock;
        this.registrationEnabled = registrationEnabled;
    }

    /**
     * The same answer, in about the same time, for an unknown name and a wrong password: a missing
     * user still costs one BCrypt check.
     */
    public TokenPair login(String username, String password) {
        if (password == null || !PasswordHasher.hasAcceptableLength(password)) {
            throw new AuthException(AuthException.Code.INVALID_CREDENTIALS, BAD_CREDENTIALS);
        }
        Optional<User> user = Usernames.normalize(username).flatMap(users::findByUsername);
        boolean valid = user.isPresent()
                ? hasher.matches(password, user.get().passwordHash())
                : hasher.matchesDecoy(password);
        if (!valid) {
            throw new AuthException(AuthException.Code.INVALID_CREDENTIALS, BAD_CREDENTIALS);
        }
        return tokens.issue(user.get().principal());
    }

    public TokenPair register(String username, String password) {
        if (!registrationEnabled) {
            throw new AuthException(AuthException.Code.FORBIDDEN, "Registration is closed");
        }
        String name = Usernames.normalize(username).orElseThrow(() ->
                new AuthException(AuthException.Code.BAD_USER_INPUT, "Username must be " + Usernames.RULE));
        if (password == null || !PasswordHasher.hasAcceptableLength(password)) {
            throw new AuthException(AuthException.Code.BAD_USER_INPUT, "Password must be "
                    + PasswordHasher.MIN_PASSWORD_BYTES + " to " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes long");
        }
        var user = new User(UUID.randomUUID().toString(), name, hasher.hash(password), 0, clock.instant());
        try {
            users.create(user);
        } catch (UsernameTakenException e) {
            throw new AuthException(AuthException.Code.USERNAME_TAKEN, "That username is taken");
        }
        return tokens.issue(user.principal());
    }

    /** The stored user behind a token, if the token is still current for it. */
    public User currentUser(Principal principal) {
        return users.findByUsername(principal.username())
                .filter(user -> user.isCurrentFor(principal))
                .orElseThrow(AuthException::unauthenticated);
    }

    /** Ends every session of the user: all refresh tokens minted so far stop working. */
    public boolean logout(Principal principal) {
        User user = currentUser(principal);
        return users.incrementTokenCount(user.username(), user.userId()).isPresent();
    }

    /**
     * The tutorial's refresh step, made correct: the user is read by the name in the token, must
     * still be the same user, and must not have logged out since the token was minted.
     */
    public Optional<Refreshed> refresh(Principal refreshPrincipal) {
        return users.findByUsername(refreshPrincipal.username())
                .filter(user -> user.isCurrentFor(refreshPrincipal))
                .map(user -> new Refreshed(user.principal(), tokens.issue(user.principal())));
    }

    public record Refreshed(Principal principal, TokenPair tokens) {
    }
}
