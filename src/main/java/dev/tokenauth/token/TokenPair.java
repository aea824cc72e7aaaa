package dev.tokenauth.token;

/** What login, register and a refresh hand to the client. */
public record TokenPair(String accessToken, String refreshToken) {

    @Override
    public String toString() {
        return "TokenPair[redacted]";
    }
}
