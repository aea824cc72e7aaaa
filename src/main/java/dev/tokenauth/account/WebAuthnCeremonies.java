package dev.tokenauth.account;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.tokenauth.user.Passkey;

/**
 * The WebAuthn verification rules, by webauthn4j: the client data's type and origin (one of the
 * configured origins), the relying-party id's hash, user presence and user verification (both
 * required), the algorithm, the attestation statement's own consistency (attestation {@code none}
 * is what the options ask for: no authenticator model is trusted or refused), the signature and
 * the signature counter. Whether the challenge was issued, and is unspent, is not decided here but
 * by the conditional delete that consumes it ({@link dev.tokenauth.user.PasskeyChallenges}).
 */
final class WebAuthnCeremonies {

    /** ES256, EdDSA and RS256: what platform and roaming authenticators use, in order of preference. */
    static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(
            COSEAlgorithmIdentifier.ES256, COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

    private final WebAuthnManager manager;
    private final AttestedCredentialDataConverter credentialData;
    private final Set<Origin> origins;
    private final String rpId;
    private final List<PublicKeyCredentialParameters> parameters;

    /** Why a ceremony was refused: a reason for the security event, never shown to a stranger. */
    static final class Refused extends Exception {
        private final String reason;

        Refused(String reason, Throwable cause) {
            super(reason, cause, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    /** A parsed registration response, before verification; {@code challenge} is what to consume. */
    record Registration(RegistrationData data, byte[] challenge) {
    }

    /** A parsed assertion, before verification. */
    record Assertion(AuthenticationData data, byte[] challenge, String credentialId, byte[] userHandle) {
    }

    /** What a verified assertion reports: its counter and backup state. */
    record Verified(long signCount, boolean backupState) {
    }

    WebAuthnCeremonies(PasskeyPolicy policy) {
        var converter = new ObjectConverter();
        this.manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);
        this.credentialData = new AttestedCredentialDataConverter(converter);
        this.origins = policy.origins().stream().map(Origin::new).collect(Collectors.toUnmodifiableSet());
        this.rpId = policy.rpId();
        this.parameters = ALGORITHMS.stream()
                .map(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, alg))
                .toList();
    }

    /** The {@code RegistrationResponseJSON}; empty when it is not one. */
    Optional<Registration> parseRegistration(String json) {
        try {
            RegistrationData data = manager.parseRegistrationResponseJSON(json);
            if (data.getCollectedClientData() == null || data.getCollectedClientData().getChallenge() == null
                    || data.getAttestationObject() == null) {
                return Optional.empty();
            }
            return Optional.of(new Registration(data, data.getCollectedClientData().getChallenge().getValue()));
        } catch (RuntimeException e) {
            // webauthn4j reports malformed input as several unchecked types (conversion, Jackson, CBOR)
            return Optional.empty();
        }
    }

    /** The {@code AuthenticationResponseJSON}; empty when it is not one. */
    Optional<Assertion> parseAssertion(String json) {
        try {
            AuthenticationData data = manager.parseAuthenticationResponseJSON(json);
            if (data.getCollectedClientData() == null || data.getCollectedClientData().getChallenge() == null
                    || data.getCredentialId() == null || data.getAuthenticatorData() == null) {
                return Optional.empty();
            }
            return Optional.of(new Assertion(data, data.getCollectedClientData().getChallenge().getValue(),
                    B64URL.encodeToString(data.getCredentialId()), data.getUserHandle()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Verifies a registration answering {@code registration.challenge()} (already consumed) and
     * returns the passkey to store, with the authenticator's flags and counter.
     */
    Passkey verify(Registration registration, String label, Instant now) throws Refused {
        try {
            manager.verify(registration.data(), new RegistrationParameters(serverProperty(registration.challenge()),
                    parameters, true, true));
        } catch (VerificationException e) {
            throw new Refused(reason(e), e);
        } catch (RuntimeException e) {
            // Parts webauthn4j decodes only while verifying (a key, an attestation statement) can be malformed too.
            throw new Refused("malformed", e);
        }
        AuthenticatorData<?> authenticator = registration.data().getAttestationObject().getAuthenticatorData();
        var attested = authenticator.getAttestedCredentialData();
        if (attested == null) {
            throw new Refused("no_attested_credential", null);
        }
        if (attested.getCredentialId().length > Passkey.MAX_ID_BYTES) {
            throw new Refused("credential_id_too_long", null);
        }
        Set<String> transports = registration.data().getTransports() == null ? Set.of()
                : registration.data().getTransports().stream().map(AuthenticatorTransport::getValue)
                        .collect(Collectors.toUnmodifiableSet());
        return new Passkey(B64URL.encodeToString(attested.getCredentialId()), Passkey.label(label), now,
                Optional.empty(), authenticator.getSignCount(), authenticator.isFlagUV(),
                authenticator.isFlagBE(), authenticator.isFlagBS(), B64URL.encodeToString(credentialData.convert(attested)),
                transports);
    }

    /**
     * Verifies an assertion answering {@code assertion.challenge()} (already consumed) against the
     * stored passkey. A counter that did not move past the stored one, where the authenticator keeps
     * one, is refused as {@code signature_counter_regression}: a cloned authenticator.
     */
    Verified verify(Assertion assertion, Passkey stored) throws Refused {
        var record = new CredentialRecordImpl(new NoneAttestationStatement(), stored.userVerified(),
                stored.backupEligible(), stored.backupState(), stored.signCount(),
                credentialData.convert(B64URL_DECODER.decode(stored.credentialData())), null, null, null, null);
        try {
            manager.verify(assertion.data(), new AuthenticationParameters(serverProperty(assertion.challenge()),
                    record, null, true, true));
        } catch (VerificationException e) {
            throw new Refused(reason(e), e);
        } catch (RuntimeException e) {
            throw new Refused("malformed", e);
        }
        AuthenticatorData<?> authenticator = assertion.data().getAuthenticatorData();
        return new Verified(authenticator.getSignCount(), authenticator.isFlagBS());
    }

    private ServerProperty serverProperty(byte[] challenge) {
        return new ServerProperty(origins, rpId, new DefaultChallenge(challenge));
    }

    static String reason(VerificationException e) {
        if (e instanceof MaliciousCounterValueException) {
            return PasskeyService.COUNTER_REGRESSION;
        }
        if (e instanceof BadOriginException) {
            return "origin_not_allowed";
        }
        if (e instanceof BadRpIdException) {
            return "wrong_relying_party";
        }
        if (e instanceof UserNotVerifiedException) {
            return "user_not_verified";
        }
        return "verification_failed";
    }
}
