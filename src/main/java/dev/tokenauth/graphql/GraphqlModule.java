package dev.tokenauth.graphql;

import java.util.List;

import graphql.schema.idl.RuntimeWiring;

/**
 * A part of the API: schema files (class path resources, merged with every other module's into one
 * schema; they extend {@code Query} and {@code Mutation} with {@code extend type}) and the wiring
 * of their fields. The shape of Spring for GraphQL's {@code RuntimeWiringConfigurer}. The built-in
 * modules are listed where the engine is built ({@code config.Components}); others are found on
 * the class path through their {@code module.ModuleFactory}.
 */
public interface GraphqlModule {

    /** Class path resources, e.g. {@code graphql/account.graphqls}. */
    List<String> schemaResources();

    /** Registers the data fetchers (and any scalars or type resolvers) of this module's fields. */
    void wire(RuntimeWiring.Builder wiring);

    /**
     * Deletes everything this module stores for the user. {@code deleteAccount} calls it for every
     * module before the account's own item goes, so it must be idempotent: when it fails, the
     * account stays, and the user's next {@code deleteAccount} runs it again and finishes.
     */
    default void deleteUserData(String userId) {
    }
}
