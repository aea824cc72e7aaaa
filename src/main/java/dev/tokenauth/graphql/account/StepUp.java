package dev.tokenauth.graphql.account;

import dev.tokenauth.account.SecondFactor;
import dev.tokenauth.graphql.Auth;
import dev.tokenauth.user.User;
import graphql.schema.DataFetchingEnvironment;

/** The step-up of the operations that matter, as their resolvers call it before the use case. */
final class StepUp {

    private StepUp() {
    }

    /**
     * The caller's stored user, once the step-up is passed: with the second factor on, the field's
     * {@code code} argument must be a current code (MFA_REQUIRED without one).
     */
    static User liveUser(SecondFactor secondFactor, DataFetchingEnvironment env) {
        User live = Auth.liveUser(env);
        secondFactor.requireFor(live, Auth.principal(env), env.getArgument("code"), Auth.caller(env));
        return live;
    }
}
