import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes the Lambda deployment package: the application's classes at the root and the runtime
 * jars under {@code lib/}, the layout Lambda's Java runtime puts on its class path. Run by
 * {@code ./mvnw package} (exec-maven-plugin, in source-file mode: it is not part of the artifact).
 *
 * <p>Each jar is rewritten with its entries stored, not deflated, and the package deflates each
 * jar whole. One deflate stream per jar compresses better than one per class, and Lambda unpacks
 * the package, so the JVM reads classes without inflating them, which shortens the cold start
 * (docs/performance.md). Entries keep their order and
 * bytes, so manifests, multi-release versions and signatures are unchanged.
 *
 * <p>Usage: {@code java src/build/LambdaZip.java <classes dir> <class-path file> <output zip>},
 * where the class-path file is what {@code dependency:build-classpath} writes.
 */
public final class LambdaZip {

    // Fixed entry times: the same inputs give the same bytes.
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: LambdaZip <classes dir> <class-path file> <output zip>");
        }
        Path classes = Path.of(args[0]);
        String classPath = Files.readString(Path.of(args[1])).strip();
        Path output = Path.of(args[2]);

        List<Path> jars = classPath.isEmpty() ? List.of()
                : Arrays.stream(classPath.split(File.pathSeparator)).map(Path::of).sorted().toList();
        long unpacked = 0;
        int files = 0;
        Files.createDirectories(output.toAbsolutePath().getParent());
        try (var zip = new ZipOutputStream(Files.newOutputStream(output))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            for (Path file : classFiles(classes)) {
                byte[] bytes = Files.readAllBytes(file);
                add(zip, classes.relativize(file).toString().replace('\\', '/'), bytes);
                unpacked += bytes.length;
                files++;
            }
            for (Path jar : jars) {
                byte[] stored = storedCopy(jar);
                add(zip, "lib/" + jar.getFileName(), stored);
                unpacked += stored.length;
                files++;
            }
        }
        System.out.printf("Lambda package %s: %d files (%d jars), %.1f MB; %.1f MB unpacked%n", output, files,
                jars.size(), Files.size(output) / 1e6, unpacked / 1e6);
    }

    private static List<Path> classFiles(Path classes) throws IOException {
        try (Stream<Path> walk = Files.walk(classes)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static void add(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        var entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** The jar with every entry stored, in its original order, with its original bytes and times. */
    private static byte[] storedCopy(Path jar) throws IOException {
        var out = new ByteArrayOutputStream((int) Files.size(jar) * 3);
        try (var source = new ZipFile(jar.toFile()); var copy = new ZipOutputStream(out)) {
            for (ZipEntry original : Collections.list(source.entries())) {
                byte[] bytes;
                try (InputStream in = source.getInputStream(original)) {
                    bytes = in.readAllBytes();
                }
                var crc = new CRC32();
                crc.update(bytes);
                var entry = new ZipEntry(original.getName());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(original.getTimeLocal());
                copy.putNextEntry(entry);
                copy.write(bytes);
                copy.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private LambdaZip() {
    }
}
