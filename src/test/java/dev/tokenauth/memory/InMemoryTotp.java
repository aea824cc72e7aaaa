package dev.tokenauth.memory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import dev.tokenauth.user.TotpFactor;
import dev.tokenauth.user.TotpStore;
import dev.tokenauth.user.User;

/** The second factor on {@link InMemoryUsers}' items, with the DynamoDB adapter's conditions. */
public final class InMemoryTotp implements TotpStore {

    private final InMemoryUsers users;

    public InMemoryTotp(InMemoryUsers users) {
        this.users = users;
    }

    @Override
    public boolean begin(User user, String pendingSecret) {
        return change(user, totp -> totp == null || !totp.enabled(),
                totp -> new TotpFactor(pendingSecret, null, 0, Set.of()));
    }

    @Override
    public boolean enable(User user, String pendingSecret, long step, Set<String> recoveryHashes) {
        return change(user, totp -> totp != null && !totp.enabled() && pendingSecret.equals(totp.pendingSecret()),
                totp -> new TotpFactor(null, pendingSecret, step, recoveryHashes));
    }

    @Override
    public boolean acceptStep(User user, String secret, long step) {
        return change(user, totp -> totp != null && secret.equals(totp.secret()) && totp.lastStep() < step,
                totp -> new TotpFactor(totp.pendingSecret(), totp.secret(), step, totp.recoveryHashes()));
    }

    @Override
    public boolean useRecoveryCode(User user, String secret, String hash) {
        return change(user, totp -> totp != null && secret.equals(totp.secret()) && totp.recoveryHashes().contains(hash),
                totp -> {
                    var left = new HashSet<>(totp.recoveryHashes());
                    left.remove(hash);
                    return new TotpFactor(totp.pendingSecret(), totp.secret(), totp.lastStep(), left);
                });
    }

    @Override
    public boolean disable(User user, String secret) {
        return change(user, totp -> totp != null && secret.equals(totp.secret()), totp -> null);
    }

    private boolean change(User user, java.util.function.Predicate<TotpFactor> condition, UnaryOperator<TotpFactor> next) {
        return users.write((Map<String, User> stored) -> {
            User current = stored.get(user.username());
            if (current == null || !current.userId().equals(user.userId()) || !condition.test(current.totp())) {
                return false;
            }
            stored.put(current.username(), new User(current.userId(), current.username(), current.passwordHash(),
                    current.tokenCount(), current.sessions(), current.createdAt(), current.revision(), current.roles(),
                    current.devices(), current.email(), next.apply(current.totp())));
            return true;
        });
    }
}
