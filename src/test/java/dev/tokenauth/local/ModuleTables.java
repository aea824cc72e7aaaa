package dev.tokenauth.local;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import dev.tokenauth.module.ModuleFactory;
import dev.tokenauth.module.ModuleTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The tables the modules on the class path declare, created on a local DynamoDB server as their
 * declarations say, each under the name its setting gives: the local server and the tests need no
 * per-module code.
 */
public final class ModuleTables {

    private ModuleTables() {
    }

    /** Every table the modules on the class path declare. */
    public static List<ModuleTable> declared() {
        var tables = new ArrayList<ModuleTable>();
        ModuleFactory.discover().forEach(factory -> tables.addAll(factory.tables()));
        return tables;
    }

    /**
     * Creates each declared table under {@code name.apply(table.nameSetting())}, and sets that
     * setting as a system property (which the application reads as it reads the environment).
     */
    public static void createAll(DynamoDbClient client, UnaryOperator<String> name) {
        for (ModuleTable table : declared()) {
            String tableName = name.apply(table.nameSetting());
            create(client, table, tableName);
            System.setProperty(table.nameSetting(), tableName);
        }
    }

    /** Creates the table unless it exists, and waits until it is active. */
    public static void create(DynamoDbClient client, ModuleTable table, String tableName) {
        var attributes = new ArrayList<AttributeDefinition>();
        var keys = new ArrayList<KeySchemaElement>();
        attributes.add(AttributeDefinition.builder().attributeName(table.partitionKey()).attributeType(ScalarAttributeType.S).build());
        keys.add(KeySchemaElement.builder().attributeName(table.partitionKey()).keyType(KeyType.HASH).build());
        if (table.sortKey() != null) {
            attributes.add(AttributeDefinition.builder().attributeName(table.sortKey()).attributeType(ScalarAttributeType.S).build());
            keys.add(KeySchemaElement.builder().attributeName(table.sortKey()).keyType(KeyType.RANGE).build());
        }
        try {
            client.createTable(request -> request.tableName(tableName).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(attributes).keySchema(keys));
        } catch (ResourceInUseException alreadyThere) {
            // fine: creating is idempotent here
        }
        client.waiter().waitUntilTableExists(request -> request.tableName(tableName));
    }
}
