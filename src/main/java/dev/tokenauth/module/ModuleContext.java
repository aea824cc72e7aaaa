package dev.tokenauth.module;

import java.time.Clock;

import dev.tokenauth.audit.SecurityEvents;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a module is built from: the process's one DynamoDB client, its clock, the security event
 * log, and {@link Settings}, the application's configuration reader (environment variables on
 * Lambda, system properties over them locally), so a module reads its settings as the core does.
 */
public record ModuleContext(DynamoDbClient dynamo, Clock clock, SecurityEvents events, Settings settings) {

    /** The name of a table the module declared, from its setting. */
    public String tableName(ModuleTable table) {
        return settings.require(table.nameSetting());
    }
}
