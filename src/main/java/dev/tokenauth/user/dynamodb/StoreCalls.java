package dev.tokenauth.user.dynamodb;

import dev.tokenauth.user.UserStoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * How the adapters call DynamoDB: a condition that did not hold is an answer (the write did not
 * happen), and any other failure of the SDK is the store being unavailable, reported with the
 * operation and the table, never the item.
 */
final class StoreCalls {

    private StoreCalls() {
    }

    /** A conditional write: true when it was written, false when its condition did not hold. */
    static boolean conditionally(String table, String operation, Runnable write) {
        try {
            write.run();
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw unavailable(table, operation, e);
        }
    }

    static UserStoreUnavailableException unavailable(String table, String operation, SdkException e) {
        return new UserStoreUnavailableException("DynamoDB " + operation + " on table " + table + " failed", e);
    }
}
