package dev.tokenauth.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code template.yaml} as data. CloudFormation's short tags ({@code !Ref}, {@code !GetAtt},
 * {@code !Sub}, ...) become their long forms ({@code {Ref: ...}}, {@code {Fn::GetAtt: [...]}}).
 */
final class SamTemplate {

    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "Equals", "FindInMap", "GetAZs",
            "If", "ImportValue", "Join", "Not", "And", "Or", "Select", "Split", "Sub", "Transform");

    final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    static SamTemplate load() {
        Path file = Path.of(System.getProperty("project.basedir", ".")).resolve("template.yaml");
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SamTemplate parse(String yaml) {
        return new SamTemplate(new Yaml(new CloudFormationConstructor()).load(yaml));
    }

    /**
     * This template with a fragment's lines added where they name the same keys: mappings merge,
     * a fragment's {@code Policies} entries merge into the policy documents at the same places,
     * and other lists (a policy's statements) grow by the fragment's items.
     */
    SamTemplate with(SamTemplate fragment) {
        return new SamTemplate(merge(root, fragment.root));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> added) {
        var merged = new java.util.LinkedHashMap<>(base);
        added.forEach((key, value) -> {
            Object existing = merged.get(key);
            if (existing instanceof Map<?, ?> map && value instanceof Map<?, ?> more) {
                merged.put(key, merge((Map<String, Object>) map, (Map<String, Object>) more));
            } else if (existing instanceof List<?> list && value instanceof List<?> more && key.equals("Policies")) {
                var policies = new java.util.ArrayList<Object>(list);
                for (int i = 0; i < more.size(); i++) {
                    policies.set(i, merge((Map<String, Object>) policies.get(i), (Map<String, Object>) more.get(i)));
                }
                merged.put(key, policies);
            } else if (existing instanceof List<?> list && value instanceof List<?> more) {
                var grown = new java.util.ArrayList<Object>(list);
                grown.addAll(more);
                merged.put(key, grown);
            } else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    Map<String, Object> resource(String name) {
        return map(map(root, "Resources"), name);
    }

    Map<String, Object> properties(String resource) {
        return map(resource(resource), "Properties");
    }

    Map<String, Object> functionEnvironment(String function) {
        return map(map(properties(function), "Environment"), "Variables");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (!(value instanceof Map)) {
            throw new AssertionError("template.yaml: expected a mapping at '" + key + "', found " + value);
        }
        return (Map<String, Object>) value;
    }

    /** The resources of one type, by logical id. */
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resourcesOfType(String type) {
        var result = new java.util.LinkedHashMap<String, Map<String, Object>>();
        map(root, "Resources").forEach((id, resource) -> {
            if (resource instanceof Map<?, ?> r && type.equals(r.get("Type"))) {
                result.put(id, (Map<String, Object>) resource);
            }
        });
        return result;
    }

    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new LongForm("Fn::GetAtt"));
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
            }
        }

        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    value = constructScalar(scalar);
                    if (key.equals("Fn::GetAtt")) {
                        value = Arrays.asList(((String) value).split("\\.", 2));
                    }
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                return Map.of(key, value);
            }
        }
    }
}
