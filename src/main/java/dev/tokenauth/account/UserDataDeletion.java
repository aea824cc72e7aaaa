package dev.tokenauth.account;

/**
 * Deletes what the API's modules store for a user, before the account itself goes; idempotent, so
 * a deletion that failed half-way is finished by the next one.
 */
@FunctionalInterface
public interface UserDataDeletion {

    void deleteUserData(String userId);
}
