package dev.tokenauth.deploy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The IAM actions a class's code calls on the DynamoDB client, read from its compiled class files
 * (and those of its nested and lambda classes): every method reference to {@code DynamoDbClient}
 * in their constant pools, {@code getItem} as {@code dynamodb:GetItem}, {@code queryPaginator} as
 * {@code dynamodb:Query}. What the template may grant is derived from this, not from a list kept
 * by hand.
 */
final class DynamoDbActions {

    private static final String CLIENT = "software/amazon/awssdk/services/dynamodb/DynamoDbClient";
    /** Methods of the client that make no request. */
    private static final Set<String> LOCAL = Set.of("close", "serviceName", "waiter", "serviceClientConfiguration",
            "builder", "create");

    private DynamoDbActions() {
    }

    static Set<String> calledBy(Class<?>... types) {
        var actions = new TreeSet<String>();
        for (Class<?> type : types) {
            for (Path file : classFiles(type)) {
                for (String method : methodsCalledOn(file, CLIENT)) {
                    if (!LOCAL.contains(method)) {
                        String operation = method.endsWith("Paginator")
                                ? method.substring(0, method.length() - "Paginator".length()) : method;
                        actions.add("dynamodb:" + operation.substring(0, 1).toUpperCase(Locale.ROOT) + operation.substring(1));
                    }
                }
            }
        }
        return actions;
    }

    private static List<Path> classFiles(Class<?> type) {
        try {
            Path file = Path.of(type.getResource(type.getSimpleName() + ".class").toURI());
            try (Stream<Path> siblings = Files.list(file.getParent())) {
                return siblings.filter(p -> p.getFileName().toString().equals(type.getSimpleName() + ".class")
                        || p.getFileName().toString().startsWith(type.getSimpleName() + "$")).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the methods of {@code owner} that a class file references. */
    private static Set<String> methodsCalledOn(Path classFile, String owner) {
        try (InputStream bytes = Files.newInputStream(classFile); var in = new DataInputStream(bytes)) {
            in.skipBytes(8);
            int count = in.readUnsignedShort();
            var utf8 = new HashMap<Integer, String>();
            var classNames = new HashMap<Integer, Integer>();
            var nameAndTypes = new HashMap<Integer, Integer>();
            var methodRefs = new ArrayList<int[]>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8.put(i, in.readUTF());
                    case 7 -> classNames.put(i, in.readUnsignedShort());
                    case 10, 11 -> methodRefs.add(new int[] {in.readUnsignedShort(), in.readUnsignedShort()});
                    case 12 -> {
                        nameAndTypes.put(i, in.readUnsignedShort());
                        in.skipBytes(2);
                    }
                    case 3, 4, 9, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        i++;
                    }
                    case 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    default -> throw new IllegalStateException("Unknown constant pool tag " + tag + " in " + classFile);
                }
            }
            var names = new TreeSet<String>();
            for (int[] ref : methodRefs) {
                if (owner.equals(utf8.get(classNames.get(ref[0])))) {
                    names.add(utf8.get(nameAndTypes.get(ref[1])));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
