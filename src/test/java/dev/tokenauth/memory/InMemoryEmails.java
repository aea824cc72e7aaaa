package dev.tokenauth.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenauth.user.EmailAddress;
import dev.tokenauth.user.EmailStore;
import dev.tokenauth.user.User;

/**
 * Claims and codes beside {@link InMemoryUsers}, with the DynamoDB adapter's conditions, each
 * write under the users' lock after their {@code beforeWrite} hook: a held or interleaved test
 * port holds these writes too.
 */
public final class InMemoryEmails implements EmailStore {

    private final InMemoryUsers users;
    public final Map<String, Claim> claims = new ConcurrentHashMap<>();
    private final Map<String, StoredCode> codes = new ConcurrentHashMap<>();

    public InMemoryEmails(InMemoryUsers users) {
        this.users = users;
        users.afterDelete(deleted -> release(deleted.email().address(), deleted.userId()));
    }

    /** The stored code of a user, for tests. */
    public Optional<StoredCode> code(String userId, Purpose purpose) {
        return Optional.ofNullable(codes.get(userId + "/" + purpose));
    }

    @Override
    public Optional<Claim> findClaim(String address) {
        return Optional.ofNullable(claims.get(address));
    }

    @Override
    public boolean claim(Claim wanted, Optional<Claim> replacing) {
        return users.write(stored -> {
            Claim current = claims.get(wanted.address());
            boolean free = replacing.isEmpty() ? current == null : replacing.get().equals(current);
            if (free) {
                claims.put(wanted.address(), wanted);
            }
            return free;
        });
    }

    @Override
    public void release(String address, String ownerId) {
        users.write(stored -> {
            Claim current = claims.get(address);
            return current != null && current.ownerId().equals(ownerId) && claims.remove(address) != null;
        });
    }

    @Override
    public boolean setAddress(User user, String previous, String address) {
        return users.write(stored -> {
            User current = stored.get(user.username());
            String had = current == null || current.email() == null ? null : current.email().address();
            if (current == null || !current.userId().equals(user.userId()) || !java.util.Objects.equals(had, previous)) {
                return false;
            }
            stored.put(current.username(), current.withUnverifiedEmail(address));
            codes.remove(key(current, Purpose.VERIFY));
            return true;
        });
    }

    @Override
    public boolean storeCode(User user, Purpose purpose, StoredCode code) {
        return users.write(stored -> {
            if (!holds(stored.get(user.username()), user, code.address(), purpose)) {
                return false;
            }
            codes.put(key(user, purpose), code);
            return true;
        });
    }

    @Override
    public void voidCode(User user, Purpose purpose, String hash) {
        users.write(stored -> {
            StoredCode code = codes.get(key(user, purpose));
            return code != null && code.hash().equals(hash) && codes.remove(key(user, purpose)) != null;
        });
    }

    @Override
    public Optional<StoredCode> countTry(User user, Purpose purpose, String address, Instant now, int maxTries) {
        return users.write(stored -> {
            StoredCode code = codes.get(key(user, purpose));
            if (!holds(stored.get(user.username()), user, address, purpose) || code == null
                    || !code.address().equals(address) || !code.expiresAt().isAfter(now) || code.tries() >= maxTries) {
                return Optional.empty();
            }
            var counted = new StoredCode(code.hash(), code.address(), code.expiresAt(), code.tries() + 1);
            codes.put(key(user, purpose), counted);
            return Optional.of(counted);
        });
    }

    @Override
    public boolean markVerified(User user, StoredCode code, Instant now, int maxTries) {
        return users.write(stored -> {
            User current = stored.get(user.username());
            if (!usable(current, user, Purpose.VERIFY, code, now, maxTries)) {
                return false;
            }
            codes.remove(key(user, Purpose.VERIFY));
            stored.put(current.username(), new User(current.userId(), current.username(), current.passwordHash(),
                    current.tokenCount(), current.sessions(), current.createdAt(), current.revision(), current.roles(),
                    current.devices(), new EmailAddress(code.address(), true), current.totp()));
            return true;
        });
    }

    @Override
    public Optional<User> resetPassword(User user, StoredCode code, Instant now, int maxTries, String newHash) {
        return users.write(stored -> {
            User current = stored.get(user.username());
            if (!usable(current, user, Purpose.RESET, code, now, maxTries)) {
                return Optional.<User>empty();
            }
            codes.remove(key(user, Purpose.RESET));
            User next = new User(current.userId(), current.username(), newHash, current.tokenCount() + 1, Map.of(),
                    current.createdAt(), current.revision() + 1, current.roles(), java.util.List.of(), current.email(), current.totp());
            stored.put(next.username(), next);
            return Optional.of(next);
        });
    }

    /** The condition of every use of a code: the same hash, still live, tries within bounds, the address still the user's. */
    private boolean usable(User current, User user, Purpose purpose, StoredCode code, Instant now, int maxTries) {
        StoredCode stored = codes.get(key(user, purpose));
        return holds(current, user, code.address(), purpose) && stored != null && stored.hash().equals(code.hash())
                && stored.address().equals(code.address()) && stored.expiresAt().isAfter(now) && stored.tries() <= maxTries;
    }

    private static boolean holds(User current, User user, String address, Purpose purpose) {
        return current != null && current.userId().equals(user.userId()) && current.email() != null
                && current.email().address().equals(address) && (purpose != Purpose.RESET || current.email().verified());
    }

    private static String key(User user, Purpose purpose) {
        return user.userId() + "/" + purpose;
    }
}
