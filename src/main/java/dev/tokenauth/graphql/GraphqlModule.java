package dev.tokenauth.graphql;

import java.util.List;

import graphql.schema.idl.RuntimeWiring;

/**
 * A part of the API: schema files (class path resources, merged with every other module's into one
 * schema; they extend {@code Query} and {@code Mutation} with {@code extend type}) and the wiring
 * of their fields. The shape of Spring for GraphQL's {@code RuntimeWiringConfigurer}. Modules are
 * listed where the engine is built ({@code config.Components}): no scanning.
 */
public interface GraphqlModule {

    /** Class path resources, e.g. {@code graphql/account.graphqls}. */
    List<String> schemaResources();

    /** Registers the data fetchers (and any scalars or type resolvers) of this module's fields. */
    void wire(RuntimeWiring.Builder wiring);
}
