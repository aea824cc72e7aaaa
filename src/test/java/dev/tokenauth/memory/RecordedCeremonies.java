package dev.tokenauth.memory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WebAuthn ceremonies recorded with Chromium's virtual authenticator
 * ({@code src/client/test/browser/record-passkey-ceremonies.js}): one passkey's registration,
 * three assertions with it (signature counters 2, 3 and 4), one without user verification, and a
 * second authenticator's registration answering the first one's challenge. The page was on
 * {@link #origin}, the relying party {@link #rpId}, the user handle {@link #userId}'s bytes.
 */
public final class RecordedCeremonies {

    /** One response and the challenge it answers. */
    public record Ceremony(String challenge, String credential) {
        public byte[] challengeBytes() {
            return Base64.getUrlDecoder().decode(challenge);
        }

        /** The credential with one of its response fields replaced, e.g. a flipped signature. */
        public String withResponseField(String field, String value) {
            var node = (tools.jackson.databind.node.ObjectNode) JSON.readTree(credential);
            ((tools.jackson.databind.node.ObjectNode) node.get("response")).put(field, value);
            return JSON.writeValueAsString(node);
        }

        public String credentialId() {
            return JSON.readTree(credential).get("id").asString();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public final String origin;
    public final String rpId;
    public final String userId;
    public final Ceremony registration;
    public final List<Ceremony> assertions;
    public final Ceremony unverifiedAssertion;
    public final Ceremony secondRegistrationSameChallenge;

    private RecordedCeremonies(JsonNode root) {
        origin = root.get("origin").asString();
        rpId = root.get("rpId").asString();
        userId = root.get("userId").asString();
        registration = ceremony(root.get("registration"));
        assertions = root.get("assertions").valueStream().map(RecordedCeremonies::ceremony).toList();
        unverifiedAssertion = ceremony(root.get("unverifiedAssertion"));
        secondRegistrationSameChallenge = ceremony(root.get("secondRegistrationSameChallenge"));
    }

    public static RecordedCeremonies load() {
        try (InputStream in = RecordedCeremonies.class.getResourceAsStream("/passkeys/ceremonies.json")) {
            return new RecordedCeremonies(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Ceremony ceremony(JsonNode node) {
        return new Ceremony(node.get("challenge").asString(), JSON.writeValueAsString(node.get("credential")));
    }
}
