package dev.tokenauth.example.notes;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Notes in their own DynamoDB table, keyed by owner (partition) and note id (sort): every read and
 * write names the owner, so a user's request can only ever reach that user's notes.
 */
public final class DynamoNotes {

    public static final String OWNER = "ownerId";
    public static final String ID = "noteId";
    static final String TEXT = "text";
    static final String CREATED_AT = "createdAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoNotes(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void create(Note note) {
        dynamo.putItem(request -> request.tableName(table).item(Map.of(
                OWNER, AttributeValue.fromS(note.ownerId()),
                ID, AttributeValue.fromS(note.id()),
                TEXT, AttributeValue.fromS(note.text()),
                CREATED_AT, AttributeValue.fromS(note.createdAt().toString())))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", ID)));
    }

    public Optional<Note> find(String ownerId, String id) {
        var response = dynamo.getItem(request -> request.tableName(table).key(key(ownerId, id)).consistentRead(true));
        return response.hasItem() ? Optional.of(note(response.item())) : Optional.empty();
    }

    /** The owner's notes, newest first; one Query of one partition. */
    public List<Note> list(String ownerId) {
        return dynamo.queryPaginator(request -> request.tableName(table)
                        .keyConditionExpression("#owner = :owner")
                        .expressionAttributeNames(Map.of("#owner", OWNER))
                        .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(ownerId)))
                        .consistentRead(true))
                .items().stream()
                .map(DynamoNotes::note)
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .toList();
    }

    /** False when the owner has no such note: the delete is conditional on it being there. */
    public boolean delete(String ownerId, String id) {
        try {
            dynamo.deleteItem(request -> request.tableName(table).key(key(ownerId, id))
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", ID)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Deletes every note of the owner; deleting what is already gone is no error, so a retry finishes. */
    public void deleteAll(String ownerId) {
        for (Note note : list(ownerId)) {
            dynamo.deleteItem(request -> request.tableName(table).key(key(ownerId, note.id())));
        }
    }

    private static Map<String, AttributeValue> key(String ownerId, String id) {
        return Map.of(OWNER, AttributeValue.fromS(ownerId), ID, AttributeValue.fromS(id));
    }

    private static Note note(Map<String, AttributeValue> item) {
        return new Note(item.get(OWNER).s(), item.get(ID).s(), item.get(TEXT).s(),
                Instant.parse(item.get(CREATED_AT).s()));
    }
}
