// WebAuthn's JSON forms (Level 3): the server sends options as JSON and takes the credential as
// JSON. Browsers with PublicKeyCredential.parseCreationOptionsFromJSON, parseRequestOptionsFromJSON
// and PublicKeyCredential#toJSON do the conversion; the fallbacks below do the same for the others.

function fromBase64url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64url(buffer) {
  const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer)
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const descriptors = (list) => (list ?? []).map((descriptor) => ({ ...descriptor, id: fromBase64url(descriptor.id) }));

/** PublicKeyCredentialCreationOptionsJSON to the options navigator.credentials.create takes. */
export function parseCreationOptions(json, PublicKeyCredentialType = globalThis.PublicKeyCredential) {
  if (typeof PublicKeyCredentialType?.parseCreationOptionsFromJSON === 'function') {
    return PublicKeyCredentialType.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    user: { ...json.user, id: fromBase64url(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

/** PublicKeyCredentialRequestOptionsJSON to the options navigator.credentials.get takes. */
export function parseRequestOptions(json, PublicKeyCredentialType = globalThis.PublicKeyCredential) {
  if (typeof PublicKeyCredentialType?.parseRequestOptionsFromJSON === 'function') {
    return PublicKeyCredentialType.parseRequestOptionsFromJSON(json);
  }
  return { ...json, challenge: fromBase64url(json.challenge), allowCredentials: descriptors(json.allowCredentials) };
}

/** A PublicKeyCredential as RegistrationResponseJSON or AuthenticationResponseJSON. */
export function credentialToJSON(credential) {
  if (typeof credential?.toJSON === 'function') return credential.toJSON();
  const { response } = credential;
  const json = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? null,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
    response: { clientDataJSON: toBase64url(response.clientDataJSON) },
  };
  if (response.attestationObject) {
    json.response.attestationObject = toBase64url(response.attestationObject);
    json.response.transports = response.getTransports?.() ?? [];
    const authenticatorData = response.getAuthenticatorData?.();
    if (authenticatorData) json.response.authenticatorData = toBase64url(authenticatorData);
  } else {
    json.response.authenticatorData = toBase64url(response.authenticatorData);
    json.response.signature = toBase64url(response.signature);
    json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
  }
  return json;
}
