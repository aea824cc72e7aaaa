package dev.tokenauth.graphql.account;

import java.util.List;

import dev.tokenauth.account.EmailVerificationService;
import dev.tokenauth.account.PasswordResetService;
import dev.tokenauth.account.SecondFactor;
import dev.tokenauth.graphql.Auth;
import dev.tokenauth.graphql.GraphqlModule;
import graphql.schema.idl.RuntimeWiring;

/** Addresses and password reset: {@code setEmail}, {@code verifyEmail}, {@code requestPasswordReset}, {@code resetPassword}. */
public final class RecoveryModule implements GraphqlModule {

    private final EmailVerificationService emails;
    private final PasswordResetService resets;
    private final SecondFactor secondFactor;

    public RecoveryModule(EmailVerificationService emails, PasswordResetService resets, SecondFactor secondFactor) {
        this.secondFactor = secondFactor;
        this.emails = emails;
        this.resets = resets;
    }

    @Override
    public List<String> schemaResources() {
        return List.of("graphql/recovery.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type
                .dataFetcher("setEmail", env -> emails.setEmail(StepUp.liveUser(secondFactor, env), Auth.principal(env), env.getArgument("email"),
                        env.getArgument("password"), Auth.caller(env)))
                // @authenticated(live: true) has read the user: the code is checked against that read.
                .dataFetcher("verifyEmail", env -> emails.verifyEmail(Auth.liveUser(env), env.getArgument("code"),
                        Auth.caller(env)))
                .dataFetcher("requestPasswordReset", env -> resets.requestPasswordReset(env.getArgument("email"),
                        Auth.caller(env)))
                .dataFetcher("resetPassword", env -> resets.resetPassword(env.getArgument("email"),
                        env.getArgument("code"), env.getArgument("newPassword"), Auth.caller(env))));
    }
}
