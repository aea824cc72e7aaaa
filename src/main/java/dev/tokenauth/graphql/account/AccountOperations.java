package dev.tokenauth.graphql.account;

import dev.tokenauth.account.AccountDeletionService;
import dev.tokenauth.account.LoginService;
import dev.tokenauth.account.PasswordChangeService;
import dev.tokenauth.account.RegistrationService;
import dev.tokenauth.account.SecondFactor;
import dev.tokenauth.session.SessionService;

/** The domain services the resolvers delegate to; {@code secondFactor}: the step-up of the operations that matter. */
public record AccountOperations(RegistrationService registration, LoginService login,
                               PasswordChangeService passwords, AccountDeletionService deletion,
                               SessionService sessions, SecondFactor secondFactor) {
}
