package dev.tokenauth.graphql.account;

import dev.tokenauth.session.SessionService;
import dev.tokenauth.user.AccountDeletionService;
import dev.tokenauth.user.LoginService;
import dev.tokenauth.user.PasswordChangeService;
import dev.tokenauth.user.RegistrationService;

/** The domain services the resolvers delegate to. */
public record AccountOperations(RegistrationService registration, LoginService login,
                               PasswordChangeService passwords, AccountDeletionService deletion,
                               SessionService sessions) {
}
