package dev.tokenauth.module;

import java.util.List;
import java.util.ServiceLoader;

import dev.tokenauth.graphql.GraphqlModule;

/**
 * A module of the API, found on the class path: a module jar (or a module's classes in the
 * project) lists its factory in {@code META-INF/services/dev.tokenauth.module.ModuleFactory}, and
 * nothing in the project's own files names it. The factory declares the DynamoDB tables the module
 * owns (the local server and the tests create them, the template check allows statements on them)
 * and builds the module from the shared parts.
 */
public interface ModuleFactory {

    /** The tables this module reads and writes, each named by a setting; none by default. */
    default List<ModuleTable> tables() {
        return List.of();
    }

    /** Builds the module; a missing setting fails the start with the setting's name. */
    GraphqlModule create(ModuleContext context);

    /** The factories on the class path, in class path order. */
    static List<ModuleFactory> discover() {
        return ServiceLoader.load(ModuleFactory.class, ModuleFactory.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
    }
}
