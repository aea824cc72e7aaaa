package dev.tokenauth.account;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.ConflictRetry;
import dev.tokenauth.user.Passkey;
import dev.tokenauth.user.PasskeyChallenges.Purpose;
import dev.tokenauth.user.PasskeyChallenges;
import dev.tokenauth.user.PasskeyRepository;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Passkeys: registering one for the logged-in user, signing in with one without a username or
 * password, listing and removing them. Challenges are random, stored server-side and consumed by a
 * conditional delete before anything else is decided; a sign-in's signature counter moves by a
 * write conditioned on the counter it checked; a user's passkeys are at most {@link #MAX_PASSKEYS},
 * enforced by the condition of the write that adds one.
 *
 * <p>A sign-in is counted, like a failed login, against its source address's budget before any
 * check, and every refusal gets the same answer, so no response tells whether a credential or a
 * user handle exists. The WebAuthn user handle is the user id (never the username).
 */
public final class PasskeyService {

    /** Passkeys per user: enough for every device and a spare security key, and a small item. */
    public static final int MAX_PASSKEYS = 10;
    /** The user handle is at most 64 bytes (WebAuthn Level 3, section 5.4.3). */
    static final int MAX_USER_HANDLE_BYTES = 64;
    static final String FAILED = "The passkey sign-in failed: ask for new options and try again";
    static final String COUNTER_REGRESSION = "signature_counter_regression";
    static final String SOURCE_PREFIX = "passkey-source#";
    static final String RP_NAME = "token-auth-graphql";

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final PasskeyPolicy policy;
    private final WebAuthnCeremonies ceremonies;
    private final PasskeyRepository passkeys;
    private final PasskeyChallenges challenges;
    private final UserRepository users;
    private final SessionService sessions;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final CurrentPassword currentPassword;
    private final Clock clock;
    private final SecurityEvents events;
    private final SecureRandom random = new SecureRandom();

    public PasskeyService(PasskeyPolicy policy, PasskeyRepository passkeys, PasskeyChallenges challenges,
                          UserRepository users, PasswordHasher hasher, LoginThrottle throttle, SessionService sessions,
                          TokenService tokens, Clock clock, SecurityEvents events) {
        this.policy = policy;
        this.ceremonies = new WebAuthnCeremonies(policy);
        this.passkeys = passkeys;
        this.challenges = challenges;
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.throttle = throttle;
        this.currentPassword = new CurrentPassword(users, hasher, throttle, sessions, clock, events);
        this.clock = clock;
        this.events = events;
    }

    /**
     * {@code PublicKeyCredentialCreationOptionsJSON} for the logged-in user: a fresh challenge
     * bound to the user, the user id as the handle, a discoverable credential with user
     * verification, attestation {@code none}, the user's passkeys excluded.
     */
    public String registrationOptions(User live) {
        Map<String, Passkey> existing = list(live.userId());
        if (existing.size() >= MAX_PASSKEYS) {
            throw tooMany();
        }
        byte[] userHandle = userHandle(live.userId());
        byte[] challenge = newChallenge(Purpose.REGISTRATION, live.userId());
        var options = new LinkedHashMap<String, Object>();
        options.put("rp", Map.of("id", policy.rpId(), "name", RP_NAME));
        options.put("user", Map.of("id", B64URL.encodeToString(userHandle), "name", live.username(),
                "displayName", live.username()));
        options.put("challenge", B64URL.encodeToString(challenge));
        options.put("pubKeyCredParams", WebAuthnCeremonies.ALGORITHMS.stream()
                .map(alg -> Map.of("type", "public-key", "alg", alg.getValue())).toList());
        options.put("timeout", policy.challengeTtl().toMillis());
        options.put("excludeCredentials", existing.values().stream().map(PasskeyService::descriptor).toList());
        options.put("authenticatorSelection", Map.of("residentKey", "required", "requireResidentKey", true,
                "userVerification", "required"));
        options.put("attestation", "none");
        return JSON.writeValueAsString(options);
    }

    /** {@code PublicKeyCredentialRequestOptionsJSON} for a username-less sign-in. */
    public String loginOptions() {
        byte[] challenge = newChallenge(Purpose.AUTHENTICATION, null);
        var options = new LinkedHashMap<String, Object>();
        options.put("challenge", B64URL.encodeToString(challenge));
        options.put("rpId", policy.rpId());
        options.put("timeout", policy.challengeTtl().toMillis());
        options.put("userVerification", "required");
        options.put("allowCredentials", List.of());
        return JSON.writeValueAsString(options);
    }

    /** Verifies a {@code RegistrationResponseJSON} for the logged-in user and stores the passkey. */
    public Passkey register(User live, Principal principal, String credential, String label, Caller caller) {
        var registration = ceremonies.parseRegistration(credential)
                .orElseThrow(() -> ApiError.badUserInput("The credential is not a RegistrationResponseJSON"));
        if (!challenges.consume(registration.challenge(), Purpose.REGISTRATION, live.userId(), now())) {
            throw ApiError.badUserInput("The registration answers no challenge of yours that is still open: "
                    + "ask for new options");
        }
        Passkey passkey;
        try {
            passkey = ceremonies.verify(registration, label, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        } catch (WebAuthnCeremonies.Refused e) {
            throw ApiError.badUserInput(switch (e.reason()) {
                case "origin_not_allowed" -> "The passkey was created on a page whose origin is not allowed";
                case "wrong_relying_party" -> "The passkey was created for another relying party";
                case "user_not_verified" -> "The authenticator did not verify the user";
                default -> "The passkey could not be verified";
            });
        }
        if (!passkeys.add(live.userId(), live.username(), passkey, MAX_PASSKEYS)) {
            throw list(live.userId()).containsKey(passkey.id())
                    ? ApiError.badUserInput("This passkey is already registered")
                    : tooMany();
        }
        events.record(SecurityEvent.of(SecurityEvent.Type.PASSKEY_REGISTERED, caller, live.userId(),
                principal.sessionId()));
        return passkey;
    }

    /**
     * A sign-in with an {@code AuthenticationResponseJSON}: a new session, as {@code login}
     * starts one, with a device token. The authenticator verified the user, so the session is
     * marked multi-factor ({@link Session#multiFactor()}).
     */
    public LoginService.LoginResult login(String credential, Caller caller) {
        var budget = new LoginThrottle.Budget(SOURCE_PREFIX + caller.sourceIp());
        try {
            throttle.count(budget, now());
        } catch (ApiError e) {
            events.record(new SecurityEvent(SecurityEvent.Type.LOGIN_THROTTLED, caller, null, null, null,
                    LoginService.THROTTLED_REASON));
            long seconds = e.retryAfterSeconds().orElse(1L);
            throw ApiError.builder(ErrorType.LOGIN_THROTTLED)
                    .message("Too many failed passkey sign-ins from this address: retry in " + seconds + " seconds")
                    .retryAfterSeconds(seconds).build();
        }
        var assertion = ceremonies.parseAssertion(credential).orElseThrow(() -> {
            failed(caller, null, "malformed");
            return ApiError.badUserInput("The credential is not an AuthenticationResponseJSON");
        });
        if (!challenges.consume(assertion.challenge(), Purpose.AUTHENTICATION, null, now())) {
            throw failed(caller, null, "challenge_not_open");
        }
        byte[] handle = assertion.userHandle();
        if (handle == null || handle.length == 0 || handle.length > MAX_USER_HANDLE_BYTES) {
            throw failed(caller, null, "no_user_handle");
        }
        String userId = new String(handle, StandardCharsets.UTF_8);
        var keyring = passkeys.find(userId);
        Optional<Passkey> stored = keyring.flatMap(k -> k.passkey(assertion.credentialId()));
        if (stored.isEmpty()) {
            throw failed(caller, null, "unknown_credential");
        }
        WebAuthnCeremonies.Verified verified;
        try {
            verified = ceremonies.verify(assertion, stored.get());
        } catch (WebAuthnCeremonies.Refused e) {
            throw failed(caller, userId, e.reason());
        }
        recordUse(userId, stored.get(), verified, caller);
        User user = users.findByUsername(keyring.get().username())
                .filter(found -> found.userId().equals(userId))
                .orElseThrow(() -> failed(caller, userId, "no_such_user"));
        // The authenticator verified the user (required above): possession and a PIN or biometric.
        Session session = sessions.open(caller).withMultiFactor();
        String deviceId = newId(16);
        User written = storeSession(user, session, deviceId).orElseThrow(() -> failed(caller, userId, "no_such_user"));
        throttle.reset(budget);
        events.record(SecurityEvent.of(SecurityEvent.Type.PASSKEY_LOGIN_SUCCEEDED, caller, userId, session.id()));
        return new LoginService.LoginResult(sessions.issue(written, session),
                tokens.issueDevice(written.userId(), written.username(), deviceId));
    }

    /** The user's passkeys, the earliest registered first. */
    public List<Passkey> passkeys(String userId) {
        var list = new ArrayList<>(list(userId).values());
        list.sort(Comparator.comparing(Passkey::createdAt).thenComparing(Passkey::id));
        return list;
    }

    /**
     * Removes one of the caller's passkeys once the current password is checked (counted against
     * the name's failure budget, like {@code deleteAccount}). Any other id is refused with one
     * message, and nothing changes.
     */
    public boolean remove(User live, Principal principal, String id, String password, Caller caller) {
        if (password == null) {
            // The step-up: a live session alone does not remove a way to sign in.
            throw ApiError.badUserInput("Removing a passkey needs the current password (argument 'password')");
        }
        currentPassword.check(live, principal, password, caller);
        if (id == null || id.isEmpty() || !passkeys.remove(live.userId(), id)) {
            throw ApiError.badUserInput("You have no passkey with that id");
        }
        events.record(SecurityEvent.of(SecurityEvent.Type.PASSKEY_REMOVED, caller, live.userId(), principal.sessionId()));
        return true;
    }

    /** Everything stored for the user's passkeys, for account deletion; idempotent. */
    public void deleteUserData(String userId) {
        passkeys.deleteAll(userId);
    }

    /**
     * Moves the passkey's counter on, on condition that it is still the one verified against.
     * When another sign-in moved it first, the presented counter is judged again against the new
     * one: not past it, where the authenticator keeps a counter, is a clone.
     */
    private void recordUse(String userId, Passkey verifiedAgainst, WebAuthnCeremonies.Verified verified, Caller caller) {
        Passkey used = verifiedAgainst.used(verified.signCount(), verified.backupState(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        var checked = new long[] {verifiedAgainst.signCount()};
        ConflictRetry.untilWritten(() -> {
            if (passkeys.recordUse(userId, used, checked[0])) {
                return ConflictRetry.Attempt.done(true);
            }
            Passkey now = passkeys.find(userId)
                    .flatMap(k -> k.passkey(used.id()))
                    .orElseThrow(() -> failed(caller, userId, "unknown_credential"));
            boolean keepsCounter = verified.signCount() != 0 || now.signCount() != 0;
            if (keepsCounter && verified.signCount() <= now.signCount()) {
                throw failed(caller, userId, COUNTER_REGRESSION);
            }
            checked[0] = now.signCount();
            return ConflictRetry.Attempt.conflict();
        });
    }

    /** Adds the session and trusts the device, on condition of the user item's revision. */
    private Optional<User> storeSession(User user, Session session, String deviceId) {
        var basis = new User[] {user};
        return ConflictRetry.untilWritten(() -> {
            User current = basis[0];
            if (current == null) {
                Optional<User> reread = users.findByUsername(user.username())
                        .filter(found -> found.userId().equals(user.userId()));
                if (reread.isEmpty()) {
                    return ConflictRetry.Attempt.done(Optional.<User>empty());
                }
                current = reread.get();
            }
            basis[0] = null;
            User next = sessions.adding(current, session).withDevice(deviceId);
            return ConflictRetry.Attempt.writtenOr(users.update(next), Optional.of(next));
        });
    }

    private Map<String, Passkey> list(String userId) {
        return passkeys.find(userId).map(PasskeyRepository.Keyring::passkeys).orElse(Map.of());
    }

    private byte[] newChallenge(Purpose purpose, String userId) {
        byte[] challenge = new byte[32];
        random.nextBytes(challenge);
        challenges.store(challenge, purpose, userId, now().plus(policy.challengeTtl()));
        return challenge;
    }

    private String newId(int bytes) {
        byte[] id = new byte[bytes];
        random.nextBytes(id);
        return B64URL.encodeToString(id);
    }

    private static byte[] userHandle(String userId) {
        byte[] handle = userId.getBytes(StandardCharsets.UTF_8);
        if (handle.length > MAX_USER_HANDLE_BYTES) {
            throw new IllegalStateException("A user id longer than a WebAuthn user handle allows");
        }
        return handle;
    }

    private static Map<String, Object> descriptor(Passkey passkey) {
        return Map.of("type", "public-key", "id", passkey.id(), "transports", passkey.transports().stream().sorted().toList());
    }

    private static ApiError tooMany() {
        return ApiError.badUserInput("You have " + MAX_PASSKEYS + " passkeys, the most allowed: remove one first");
    }

    private ApiError failed(Caller caller, String userId, String reason) {
        events.record(new SecurityEvent(SecurityEvent.Type.PASSKEY_LOGIN_FAILED, caller, userId, null, null, reason));
        return ApiError.of(ErrorType.INVALID_CREDENTIALS, FAILED);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
