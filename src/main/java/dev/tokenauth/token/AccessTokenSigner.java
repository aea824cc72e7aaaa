package dev.tokenauth.token;

/**
 * Signs access tokens with ES256. The port keeps where the private key lives (in memory here; a
 * KMS key would be another adapter) out of {@link TokenService}.
 */
public interface AccessTokenSigner {

    /** The JWS algorithm, {@code ES256}. */
    String ALGORITHM = "ES256";

    /** The key's id in the JWKS: its RFC 7638 thumbprint. */
    String keyId();

    /** The public key, published in the JWKS; read once per environment. */
    java.security.interfaces.ECPublicKey publicKey();

    /** The signature of the JWS signing input ({@code header.payload}): R || S, 64 bytes (RFC 7518, 3.4). */
    byte[] sign(byte[] signingInput);
}
