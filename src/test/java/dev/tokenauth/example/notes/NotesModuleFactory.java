package dev.tokenauth.example.notes;

import java.util.List;

import dev.tokenauth.graphql.GraphqlModule;
import dev.tokenauth.module.ModuleContext;
import dev.tokenauth.module.ModuleFactory;
import dev.tokenauth.module.ModuleTable;

/**
 * How the application finds the notes module: this class is listed in
 * {@code META-INF/services/dev.tokenauth.module.ModuleFactory}. It declares the module's table once
 * (template resource, setting, key schema, the adapter that calls it) and builds the module from
 * the shared parts.
 */
public final class NotesModuleFactory implements ModuleFactory {

    /** The notes table: {@code NotesTable} in the template, its name in {@code NOTES_TABLE}. */
    public static final ModuleTable TABLE = new ModuleTable("NotesTable", "NOTES_TABLE",
            DynamoNotes.OWNER, DynamoNotes.ID, DynamoNotes.class);

    @Override
    public List<ModuleTable> tables() {
        return List.of(TABLE);
    }

    @Override
    public GraphqlModule create(ModuleContext context) {
        return new NotesModule(new DynamoNotes(context.dynamo(), context.tableName(TABLE)), context.clock());
    }
}
