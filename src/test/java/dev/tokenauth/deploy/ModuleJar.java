package dev.tokenauth.deploy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import dev.tokenauth.module.ModuleFactory;

/**
 * A module packaged as a jar of its own, as a team would ship one: the classes of the factory's
 * package, its class path resources, and the {@code META-INF/services} line that names the factory.
 */
final class ModuleJar {

    private ModuleJar() {
    }

    static Path of(Class<? extends ModuleFactory> factory, String... resources) throws IOException {
        Path jar = Files.createTempFile("module-", ".jar");
        String packagePath = factory.getPackageName().replace('.', '/');
        try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
            Path classes = Path.of(factory.getResource(factory.getSimpleName() + ".class").toURI()).getParent();
            try (Stream<Path> files = Files.list(classes)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    add(out, packagePath + "/" + file.getFileName(), Files.readAllBytes(file));
                }
            }
            for (String resource : resources) {
                try (var in = factory.getClassLoader().getResourceAsStream(resource)) {
                    add(out, resource, in.readAllBytes());
                }
            }
            add(out, "META-INF/services/" + ModuleFactory.class.getName(), (factory.getName() + "\n").getBytes());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return jar;
    }

    private static void add(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
