package dev.tokenauth.user;

/** A user's address in its normalised form ({@link EmailRules}), and whether its owner proved it with a code. */
public record EmailAddress(String address, boolean verified) {
}
