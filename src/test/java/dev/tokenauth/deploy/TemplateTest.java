package dev.tokenauth.deploy;

import static dev.tokenauth.deploy.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tokenauth.LambdaApplication;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.DpopSettings;
import dev.tokenauth.config.PasskeySettings;
import dev.tokenauth.example.notes.NotesModuleFactory;
import dev.tokenauth.local.ModuleTables;
import dev.tokenauth.module.ModuleTable;
import dev.tokenauth.ops.Metrics;
import dev.tokenauth.token.TokenSettings;
import dev.tokenauth.user.dynamodb.DynamoAttemptCounters;
import dev.tokenauth.user.dynamodb.DynamoPasskeyChallenges;
import dev.tokenauth.user.dynamodb.DynamoPasskeys;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import org.junit.jupiter.api.Test;

/** template.yaml agrees with the code it deploys, and grants no more than the code uses. */
class TemplateTest {

    private static final String FUNCTION = "GraphqlFunction";
    /** Read by Spring Cloud Function and the JVM rather than by AppConfig. */
    private static final Set<String> PLATFORM_VARIABLES = Set.of("MAIN_CLASS", "SPRING_CLOUD_FUNCTION_DEFINITION",
            "JAVA_TOOL_OPTIONS");

    private final SamTemplate template = SamTemplate.load();

    @Test
    void handlerIsTheSpringCloudFunctionInvoker() throws Exception {
        String handler = (String) template.properties(FUNCTION).get("Handler");
        String[] parts = handler.split("::");
        assertThat(parts).hasSize(2);
        assertThat(Class.forName(parts[0])).isEqualTo(org.springframework.cloud.function.adapter.aws.FunctionInvoker.class);
        var method = Class.forName(parts[0]).getMethod(parts[1], java.io.InputStream.class, java.io.OutputStream.class,
                Context.class);
        assertThat(java.lang.reflect.Modifier.isPublic(method.getModifiers())).isTrue();
        assertThat(method.getReturnType()).isEqualTo(void.class);
        assertThat(template.properties(FUNCTION).get("Runtime")).isEqualTo("java25");
        // The package ./mvnw package writes (LambdaZip), which LambdaRuntimeIT runs: sam deploy uploads it as is.
        assertThat(template.properties(FUNCTION).get("CodeUri")).isEqualTo("target/token-auth-graphql-lambda.zip");
    }

    @Test
    void functionDefinitionAndMainClassNameTheApplication() {
        Map<String, Object> env = template.functionEnvironment(FUNCTION);
        assertThat(env.get("SPRING_CLOUD_FUNCTION_DEFINITION")).isEqualTo(LambdaApplication.FUNCTION_NAME);
        assertThat(env.get("MAIN_CLASS")).isEqualTo(LambdaApplication.class.getName());
    }

    @Test
    void everyVariableTheTemplateSetsIsReadAndEveryRequiredOneIsSet() {
        Set<String> read = variablesTheApplicationReads();
        Set<String> set = template.functionEnvironment(FUNCTION).keySet();
        for (String name : set) {
            assertThat(read.contains(name) || PLATFORM_VARIABLES.contains(name))
                    .as("template sets %s, which nothing reads", name).isTrue();
        }
        assertThat(set).contains(AppConfig.USERS_TABLE,
                AppConfig.ACCESS_TOKEN_SECRET + AppConfig.ARN_SUFFIX,
                AppConfig.REFRESH_TOKEN_SECRET + AppConfig.ARN_SUFFIX,
                "MAIN_CLASS", "SPRING_CLOUD_FUNCTION_DEFINITION");
        // Secrets travel as ARNs only.
        assertThat(set).doesNotContain(AppConfig.ACCESS_TOKEN_SECRET, AppConfig.REFRESH_TOKEN_SECRET, AppConfig.MFA_SECRET);
    }

    @Test
    void signingKeysAreGeneratedByTheStack() {
        for (String secret : List.of("AccessTokenSecret", "RefreshTokenSecret", "MfaSecret")) {
            assertThat(template.resource(secret).get("Type")).isEqualTo("AWS::SecretsManager::Secret");
            Map<String, Object> generate = map(template.properties(secret), "GenerateSecretString");
            assertThat((Integer) generate.get("PasswordLength")).isGreaterThanOrEqualTo(AppConfig.MIN_SECRET_BYTES);
        }
        assertThat(template.functionEnvironment(FUNCTION).get("ACCESS_TOKEN_SECRET_ARN"))
                .isEqualTo(Map.of("Ref", "AccessTokenSecret"));
        assertThat(template.functionEnvironment(FUNCTION).get("REFRESH_TOKEN_SECRET_ARN"))
                .isEqualTo(Map.of("Ref", "RefreshTokenSecret"));
        assertThat(template.functionEnvironment(FUNCTION).get(AppConfig.MFA_SECRET + AppConfig.ARN_SUFFIX))
                .isEqualTo(Map.of("Ref", "MfaSecret"));
        // No parameter may carry a secret.
        map(template.root, "Parameters").forEach((name, parameter) ->
                assertThat(name.toLowerCase()).doesNotContain("secret", "password", "key"));
    }

    @Test
    void introspectionIsOffByDefaultInTheDeployedStack() {
        assertThat(template.functionEnvironment(FUNCTION).get(AppConfig.INTROSPECTION_ENABLED))
                .isEqualTo(Map.of("Ref", "IntrospectionEnabled"));
        assertThat(map(map(template.root, "Parameters"), "IntrospectionEnabled").get("Default")).isEqualTo("false");
    }

    @Test
    void snapStartGoesWithAnAliasThatTheApiCalls() {
        Map<String, Object> function = template.properties(FUNCTION);
        assertThat(map(function, "SnapStart").get("ApplyOn")).isEqualTo("PublishedVersions");
        // With AutoPublishAlias, SAM points the function's Api events at the alias, so every request
        // the API sends runs a published version, restored from its snapshot.
        assertThat(function.get("AutoPublishAlias")).isEqualTo("live");
        map(function, "Events").forEach((name, event) ->
                assertThat(((Map<?, ?>) event).get("Type")).as(name).isEqualTo("Api"));
        // Nothing else invokes the function by its unqualified ARN, which would skip the snapshot.
        assertThat(references(template.root, Map.of("Fn::GetAtt", List.of(FUNCTION, "Arn")))).isZero();
    }

    @Test
    void apiRoutesGraphqlGetPostAndOptionsToTheFunction() {
        Set<String> routes = new LinkedHashSet<>();
        map(template.properties(FUNCTION), "Events").values().forEach(event -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) event;
            assertThat(e.get("Type")).isEqualTo("Api");
            Map<String, Object> properties = map(e, "Properties");
            assertThat(properties.get("RestApiId")).isEqualTo(Map.of("Ref", "GraphqlApi"));
            routes.add(properties.get("Method") + " " + properties.get("Path"));
        });
        assertThat(routes).containsExactlyInAnyOrder("GET /graphql", "POST /graphql", "OPTIONS /graphql",
                "GET /.well-known/jwks.json", "GET /.well-known/openid-configuration");
        Map<String, Object> gatewayResponses = map(template.properties("GraphqlApi"), "GatewayResponses");
        for (String kind : List.of("DEFAULT_4XX", "DEFAULT_5XX")) {
            Map<String, Object> headers = map(map(map(gatewayResponses, kind), "ResponseParameters"), "Headers");
            assertThat(headers).containsKey("Access-Control-Allow-Origin");
        }
    }

    @Test
    void tokensCarryTheIssuerAndAudienceParametersWhoseDefaultsAreTheCodes() {
        Map<String, Object> parameters = map(template.root, "Parameters");
        assertThat(template.functionEnvironment(FUNCTION).get(AppConfig.TOKEN_ISSUER)).isEqualTo(Map.of("Ref", "TokenIssuer"));
        assertThat(template.functionEnvironment(FUNCTION).get(AppConfig.ACCESS_TOKEN_AUDIENCE))
                .isEqualTo(Map.of("Ref", "AccessTokenAudience"));
        assertThat(map(parameters, "TokenIssuer").get("Default")).isEqualTo(
                AppConfig.load(Map.of(AppConfig.ACCESS_TOKEN_SECRET, "a".repeat(32), AppConfig.REFRESH_TOKEN_SECRET,
                        "r".repeat(32))::get).tokens().issuer());
        assertThat(map(parameters, "AccessTokenAudience").get("Default")).isEqualTo(TokenSettings.DEFAULT_AUDIENCE);
        assertThat(map(map(template.root, "Outputs"), "JwksUrl").get("Value").toString())
                .contains("/.well-known/jwks.json");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theProtectedExampleIsOffByDefaultAndItsAuthorizerHasNoSecretAndNoPermission() throws Exception {
        assertThat(map(map(template.root, "Parameters"), "ProtectedExample").get("Default")).isEqualTo("false");
        for (String id : List.of("AccessTokenAuthorizerFunction", "ExampleApi", "ExampleFunction")) {
            assertThat(template.resource(id).get("Condition")).as(id).isEqualTo("HasProtectedExample");
        }
        for (String function : List.of("AccessTokenAuthorizerFunction", "ExampleFunction")) {
            Map<String, Object> properties = template.properties(function);
            String[] handler = ((String) properties.get("Handler")).split("::");
            assertThat(Class.forName(handler[0]).getMethod(handler[1], java.io.InputStream.class,
                    java.io.OutputStream.class, Context.class)).isNotNull();
            assertThat(properties.get("CodeUri")).isEqualTo(template.properties(FUNCTION).get("CodeUri"));
            assertThat(properties).as("%s: no policy, so no AWS permission beyond its logs", function)
                    .doesNotContainKeys("Policies", "Role");
        }
        Map<String, Object> env = template.functionEnvironment("AccessTokenAuthorizerFunction");
        Set<String> read = new LinkedHashSet<>();
        AppConfig.authorizer(name -> {
            read.add(name);
            return name.equals(AppConfig.JWKS_URL) ? "https://example.com/.well-known/jwks.json" : null;
        });
        env.keySet().forEach(name -> assertThat(read.contains(name) || PLATFORM_VARIABLES.contains(name))
                .as("the authorizer gets %s, which nothing reads", name).isTrue());
        assertThat(env).doesNotContainKeys(AppConfig.ACCESS_TOKEN_SECRET + AppConfig.ARN_SUFFIX,
                AppConfig.REFRESH_TOKEN_SECRET + AppConfig.ARN_SUFFIX);
        assertThat(env.get(AppConfig.JWKS_URL).toString()).contains("${GraphqlApi}", "/.well-known/jwks.json");
        assertThat(env.get(AppConfig.TOKEN_ISSUER)).isEqualTo(template.functionEnvironment(FUNCTION).get(AppConfig.TOKEN_ISSUER));
        assertThat(env.get(AppConfig.ACCESS_TOKEN_AUDIENCE))
                .isEqualTo(template.functionEnvironment(FUNCTION).get(AppConfig.ACCESS_TOKEN_AUDIENCE));
        Map<String, Object> auth = map(template.properties("ExampleApi"), "Auth");
        assertThat(auth.get("DefaultAuthorizer")).isEqualTo("AccessToken");
        Map<String, Object> authorizer = map(map(auth, "Authorizers"), "AccessToken");
        assertThat(authorizer.get("FunctionArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("AccessTokenAuthorizerFunction", "Arn")));
        assertThat(map(authorizer, "Identity").get("Header")).isEqualTo("Authorization");
        Map<String, Object> hello = map(map(map(template.properties("ExampleFunction"), "Events"), "Hello"), "Properties");
        assertThat(hello.get("RestApiId")).isEqualTo(Map.of("Ref", "ExampleApi"));
    }

    @Test
    void apiGatewaysOwnErrorsAllowOnlyTheOriginsTheFunctionAllows() {
        Map<String, Object> gatewayResponses = map(template.properties("GraphqlApi"), "GatewayResponses");
        for (String kind : List.of("DEFAULT_4XX", "DEFAULT_5XX")) {
            Object header = map(map(map(gatewayResponses, kind), "ResponseParameters"), "Headers")
                    .get("Access-Control-Allow-Origin");
            assertThat(evaluate(header, "*")).as(kind).isEqualTo("'*'");
            assertThat(evaluate(header, "https://app.example")).as(kind).isEqualTo("'https://app.example'");
            assertThat(evaluate(header, "https://app.example,https://admin.example")).as(kind).isEqualTo(NO_VALUE);
        }
        // The function is given the same parameter.
        assertThat(template.functionEnvironment(FUNCTION).get(AppConfig.CORS_ALLOWED_ORIGINS))
                .isEqualTo(Map.of("Ref", "CorsAllowedOrigins"));
    }

    private static final Object NO_VALUE = new Object();

    /** The value CloudFormation gives {@code expression} with {@code CorsAllowedOrigins} = {@code origins}. */
    @SuppressWarnings("unchecked")
    private Object evaluate(Object expression, String origins) {
        if (!(expression instanceof Map<?, ?> function)) {
            return expression;
        }
        var entry = function.entrySet().iterator().next();
        Object argument = entry.getValue();
        List<Object> args = argument instanceof List<?> list ? (List<Object>) list : List.of(argument);
        return switch ((String) entry.getKey()) {
            case "Ref" -> switch ((String) argument) {
                case "CorsAllowedOrigins" -> origins;
                case "AWS::NoValue" -> NO_VALUE;
                default -> throw new AssertionError("unexpected Ref " + argument);
            };
            case "Fn::If" -> evaluate(map(template.root, "Conditions").get(args.get(0)), origins).equals(true)
                    ? evaluate(args.get(1), origins) : evaluate(args.get(2), origins);
            case "Fn::Equals" -> evaluate(args.get(0), origins).equals(evaluate(args.get(1), origins));
            case "Fn::Join" -> String.join((String) args.get(0), (List<String>) evaluate(args.get(1), origins));
            case "Fn::Split" -> List.of(((String) evaluate(args.get(1), origins)).split(java.util.regex.Pattern.quote(
                    (String) args.get(0)), -1));
            case "Fn::Sub" -> ((String) argument).replace("${CorsAllowedOrigins}", origins);
            default -> throw new AssertionError("unexpected " + entry.getKey());
        };
    }

    @Test
    void tableKeySchemaIsTheOneTheCodeUses() {
        Map<String, Object> table = template.properties("UsersTable");
        assertThat(table.get("KeySchema")).isEqualTo(List.of(
                Map.of("AttributeName", DynamoUserRepository.PARTITION_KEY, "KeyType", "HASH")));
        assertThat(table.get("AttributeDefinitions")).isEqualTo(List.of(
                Map.of("AttributeName", DynamoUserRepository.PARTITION_KEY, "AttributeType", "S")));
        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(map(table, "PointInTimeRecoverySpecification").get("PointInTimeRecoveryEnabled")).isEqualTo(true);
        assertThat(template.resource("UsersTable").get("DeletionPolicy")).isEqualTo("Retain");
        assertThat(map(table, "TimeToLiveSpecification").get("AttributeName"))
                .isEqualTo(DynamoAttemptCounters.EXPIRES_AT);
        assertThat(template.functionEnvironment(FUNCTION).get(AppConfig.USERS_TABLE))
                .isEqualTo(Map.of("Ref", "UsersTable"));
    }

    @Test
    void policiesGrantOnlyWhatTheCodeUsesOnItsOwnResources() {
        Map<String, Set<String>> allowed = dynamoDbCallsByTable();
        assertThat(policyViolations(template, allowed)).isEmpty();
        assertThat(dynamoDbActionsOn(template, "UsersTable")).as("every call the users table's adapters make is granted")
                .isEqualTo(allowed.get("UsersTable"));
    }

    @Test
    void aModulesTemplateLinesFromTheDocsPassAndAStatementOnEverythingFails() {
        SamTemplate fragment = SamTemplate.parse(ExtendingDoc.moduleTemplateLines(NotesModuleFactory.TABLE.resource()));
        SamTemplate withModule = template.with(fragment);
        Map<String, Set<String>> allowed = dynamoDbCallsByTable();
        assertThat(policyViolations(withModule, allowed)).isEmpty();
        assertThat(dynamoDbActionsOn(withModule, NotesModuleFactory.TABLE.resource()))
                .isEqualTo(allowed.get(NotesModuleFactory.TABLE.resource()));
        assertThat(template.with(fragment).functionEnvironment(FUNCTION))
                .containsEntry(NotesModuleFactory.TABLE.nameSetting(), Map.of("Ref", NotesModuleFactory.TABLE.resource()));

        SamTemplate onEverything = template.with(SamTemplate.parse(ExtendingDoc.moduleTemplateLines(NotesModuleFactory.TABLE.resource())
                .replace("!GetAtt " + NotesModuleFactory.TABLE.resource() + ".Arn", "'*'")));
        assertThat(policyViolations(onEverything, allowed)).isNotEmpty();
        SamTemplate moreThanItCalls = template.with(SamTemplate.parse(ExtendingDoc.moduleTemplateLines(NotesModuleFactory.TABLE.resource())
                .replace("dynamodb:Query", "dynamodb:Scan")));
        assertThat(policyViolations(moreThanItCalls, allowed)).anyMatch(v -> v.contains("dynamodb:Scan"));
    }

    /**
     * What each declared table's adapters call: the users table's (the repository and the attempt
     * counters) and every module table on the class path.
     */
    private static Map<String, Set<String>> dynamoDbCallsByTable() {
        Map<String, Set<String>> byTable = new HashMap<>();
        byTable.put("UsersTable", DynamoDbActions.calledBy(DynamoUserRepository.class, DynamoAttemptCounters.class,
                DynamoPasskeys.class, DynamoPasskeyChallenges.class));
        for (ModuleTable table : ModuleTables.declared()) {
            byTable.put(table.resource(), DynamoDbActions.calledBy(table.adapter()));
        }
        return byTable;
    }

    /** Every statement of the function's policies that grants more than the code uses on its own resources. */
    @SuppressWarnings("unchecked")
    private static List<String> policyViolations(SamTemplate template, Map<String, Set<String>> allowedByTable) {
        var violations = new java.util.ArrayList<String>();
        for (Object policy : (List<Object>) template.properties(FUNCTION).get("Policies")) {
            if (!(policy instanceof Map<?, ?> document)) {
                violations.add("not an inline policy document (a managed policy grants too much): " + policy);
                continue;
            }
            for (Object statement : (List<Object>) document.get("Statement")) {
                Map<String, Object> s = (Map<String, Object>) statement;
                List<Object> actions = s.get("Action") instanceof List<?> list ? (List<Object>) list : List.of(s.get("Action"));
                List<Object> resources = s.get("Resource") instanceof List<?> list ? (List<Object>) list : List.of(s.get("Resource"));
                if (!"Allow".equals(s.get("Effect"))) {
                    violations.add(s.get("Sid") + ": not an Allow");
                }
                actions.stream().filter(a -> a.toString().contains("*")).forEach(a -> violations.add(s.get("Sid") + ": " + a));
                resources.stream().filter(r -> !(r instanceof Map)).forEach(r -> violations.add(s.get("Sid") + ": resource " + r));
                for (Object action : actions) {
                    if (!action.toString().startsWith("dynamodb:")) {
                        continue;
                    }
                    for (Object resource : resources) {
                        String table = tableOf(resource);
                        Set<String> allowed = table == null ? null : allowedByTable.get(table);
                        if (allowed == null) {
                            violations.add(s.get("Sid") + ": " + action + " on " + resource + ", not a declared table");
                        } else if (!allowed.contains(action)) {
                            violations.add(s.get("Sid") + ": " + action + " on " + table + ", which its code never calls");
                        }
                    }
                }
            }
        }
        return violations;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> dynamoDbActionsOn(SamTemplate template, String table) {
        Set<String> actions = new java.util.TreeSet<>();
        for (Object policy : (List<Object>) template.properties(FUNCTION).get("Policies")) {
            for (Object statement : (List<Object>) ((Map<String, Object>) policy).get("Statement")) {
                Map<String, Object> s = (Map<String, Object>) statement;
                List<Object> resources = s.get("Resource") instanceof List<?> list ? (List<Object>) list : List.of(s.get("Resource"));
                if (resources.stream().anyMatch(r -> table.equals(tableOf(r)))) {
                    (s.get("Action") instanceof List<?> list ? (List<Object>) list : List.of(s.get("Action"))).stream()
                            .map(Object::toString).filter(a -> a.startsWith("dynamodb:")).forEach(actions::add);
                }
            }
        }
        return actions;
    }

    /** How often {@code value} stands anywhere inside {@code node}. */
    private static int references(Object node, Object value) {
        if (node.equals(value)) {
            return 1;
        }
        if (node instanceof Map<?, ?> map) {
            return map.values().stream().mapToInt(child -> references(child, value)).sum();
        }
        if (node instanceof List<?> list) {
            return list.stream().mapToInt(child -> references(child, value)).sum();
        }
        return 0;
    }

    /** The logical id of a table named by {@code !GetAtt X.Arn}, else null. */
    private static String tableOf(Object resource) {
        return resource instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> getAtt
                && getAtt.size() == 2 && "Arn".equals(getAtt.get(1)) ? getAtt.get(0).toString() : null;
    }

    @Test
    @SuppressWarnings("unchecked")
    void mailGoesThroughSesFromTheOneSenderItMayUse() {
        Map<String, Object> env = template.functionEnvironment(FUNCTION);
        assertThat(env.get(AppConfig.MAIL_SENDER)).isEqualTo("ses");
        assertThat(env.get(AppConfig.MAIL_FROM)).isEqualTo(Map.of("Ref", "MailFrom"));
        List<Map<String, Object>> sesStatements = new java.util.ArrayList<>();
        for (Object policy : (List<Object>) template.properties(FUNCTION).get("Policies")) {
            for (Object statement : (List<Object>) ((Map<String, Object>) policy).get("Statement")) {
                Map<String, Object> s = (Map<String, Object>) statement;
                if (s.get("Action").toString().contains("ses:")) {
                    sesStatements.add(s);
                }
            }
        }
        assertThat(sesStatements).hasSize(1);
        Map<String, Object> ses = sesStatements.get(0);
        // What SesMailer calls, and nothing else.
        assertThat(ses.get("Action")).isEqualTo(List.of("ses:SendEmail"));
        var resources = (List<Object>) ses.get("Resource");
        assertThat(resources).isNotEmpty().allSatisfy(resource -> assertThat(resource.toString())
                .contains(":ses:${AWS::Region}:${AWS::AccountId}:identity/"));
        assertThat(resources.get(0).toString()).contains("identity/${MailFrom}");
        assertThat(map(map(ses, "Condition"), "StringEquals").get("ses:FromAddress"))
                .isEqualTo(Map.of("Ref", "MailFrom"));
        assertThat(map(map(template.root, "Parameters"), "MailFrom")).doesNotContainKey("Default");
    }

    @Test
    void everyAlarmOnACustomMetricNamesAMetricTheCodeEmitsInTheNamespaceTheFunctionGets() {
        Map<String, Object> namespace = Map.of("Ref", "MetricsNamespace");
        assertThat(template.functionEnvironment(FUNCTION).get(AppConfig.METRICS_NAMESPACE)).isEqualTo(namespace);
        assertThat(map(map(template.root, "Parameters"), "MetricsNamespace").get("Default"))
                .isEqualTo(AppConfig.DEFAULT_METRICS_NAMESPACE);
        Set<String> fromLogFilters = new LinkedHashSet<>();
        template.resourcesOfType("AWS::Logs::MetricFilter").forEach((id, filter) -> {
            @SuppressWarnings("unchecked")
            var transformations = (List<Map<String, Object>>) map(filter, "Properties").get("MetricTransformations");
            for (Map<String, Object> transformation : transformations) {
                assertThat(transformation.get("MetricNamespace")).isEqualTo(namespace);
                assertThat(Metrics.NAMES).as("a log filter must not feed a metric the code emits")
                        .doesNotContain((String) transformation.get("MetricName"));
                fromLogFilters.add((String) transformation.get("MetricName"));
            }
        });
        Map<String, Map<String, Object>> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        assertThat(alarms).isNotEmpty();
        alarms.forEach((id, alarm) -> {
            Map<String, Object> properties = map(alarm, "Properties");
            Object alarmNamespace = properties.get("Namespace");
            String metric = (String) properties.get("MetricName");
            if (alarmNamespace instanceof String awsNamespace) {
                assertThat(awsNamespace).as("%s: a literal namespace is an AWS one", id).startsWith("AWS/");
            } else if (fromLogFilters.contains(metric)) {
                assertThat(alarmNamespace).isEqualTo(namespace);
            } else {
                assertThat(alarmNamespace).as(id).isEqualTo(namespace);
                assertThat(Metrics.NAMES).as("%s names a metric the code emits", id).contains(metric);
                assertThat(properties.get("Dimensions")).as(id).isEqualTo(List.of(
                        Map.of("Name", Metrics.SERVICE_DIMENSION, "Value", Metrics.SERVICE)));
            }
        });
    }

    @Test
    void alarmsWatchReuseThrottledLoginsServerErrorsAndTheApi() {
        Set<String> watched = new LinkedHashSet<>();
        template.resourcesOfType("AWS::CloudWatch::Alarm").values().forEach(alarm -> {
            Map<String, Object> properties = map(alarm, "Properties");
            Object namespace = properties.get("Namespace");
            watched.add((namespace instanceof String literal ? literal + ":" : "") + properties.get("MetricName"));
        });
        assertThat(watched).contains(Metrics.REFRESH_REUSE_DETECTED, Metrics.LOGIN_THROTTLED, Metrics.SERVER_ERRORS,
                Metrics.PASSWORD_RESET_REQUESTED,
                "AWS/Lambda:Errors", "AWS/ApiGateway:5XXError", "ApiThrottled");
    }

    @Test
    @SuppressWarnings("unchecked")
    void alarmsNotifyOnlyWhereAParameterSaysAndNobodyByDefault() {
        Map<String, Object> parameters = map(template.root, "Parameters");
        assertThat(map(parameters, "AlarmTopicArn").get("Default")).isEqualTo("");
        assertThat(map(parameters, "AlarmEmail").get("Default")).isEqualTo("");
        template.resourcesOfType("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            Map<String, Object> actions = (Map<String, Object>) map(alarm, "Properties").get("AlarmActions");
            assertThat(actions).as(id).isEqualTo(Map.of("Fn::If", List.of("HasAlarmTopicArn",
                    List.of(Map.of("Ref", "AlarmTopicArn")),
                    Map.of("Fn::If", List.of("CreatesAlarmTopic", List.of(Map.of("Ref", "AlarmTopic")),
                            Map.of("Ref", "AWS::NoValue"))))));
        });
        assertThat(template.resource("AlarmTopic").get("Condition")).isEqualTo("CreatesAlarmTopic");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOptionalWebAclLimitsEachSourceIpOnTheStageAndIsOffByDefault() {
        assertThat(map(map(template.root, "Parameters"), "WafRateLimit").get("Default")).isEqualTo(0);
        assertThat(map(map(template.root, "Conditions"), "HasWaf"))
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "WafRateLimit"), 0)))));
        for (String id : List.of("WebAcl", "WebAclAssociation")) {
            assertThat(template.resource(id).get("Condition")).isEqualTo("HasWaf");
        }
        Map<String, Object> acl = template.properties("WebAcl");
        assertThat(acl.get("Scope")).isEqualTo("REGIONAL");
        var rules = (List<Map<String, Object>>) acl.get("Rules");
        assertThat(rules).hasSize(1);
        Map<String, Object> rate = map(map(rules.get(0), "Statement"), "RateBasedStatement");
        assertThat(rate.get("AggregateKeyType")).isEqualTo("IP");
        assertThat(rate.get("Limit")).isEqualTo(Map.of("Ref", "WafRateLimit"));
        assertThat(template.properties("WebAclAssociation").get("ResourceArn").toString())
                .contains("${GraphqlApi}/stages/${GraphqlApi.Stage}");
    }

    @Test
    void functionLogsAreJsonAndNeverFilteredAboveInfo() {
        Map<String, Object> logging = map(template.properties(FUNCTION), "LoggingConfig");
        assertThat(logging.get("LogFormat")).isEqualTo("JSON");
        assertThat(logging.get("ApplicationLogLevel")).isEqualTo(Map.of("Ref", "ApplicationLogLevel"));
        // Security events and metrics are INFO lines: a higher level would make Lambda drop them.
        assertThat(map(map(template.root, "Parameters"), "ApplicationLogLevel").get("AllowedValues"))
                .isEqualTo(List.of("TRACE", "DEBUG", "INFO"));
    }

    @Test
    void theStackCreatesNoRoleOrPolicyBeyondTheFunctionsOwn() {
        map(template.root, "Resources").forEach((id, resource) ->
                assertThat(((Map<?, ?>) resource).get("Type").toString()).as(id).doesNotStartWith("AWS::IAM::"));
    }

    @Test
    void outputsTheEndpoint() {
        Map<String, Object> output = map(map(template.root, "Outputs"), "GraphqlEndpoint");
        assertThat(output.get("Value").toString()).contains("/graphql");
    }

    /** The names AppConfig asks for, when secrets come from Secrets Manager as on Lambda. */
    private static Set<String> variablesTheApplicationReads() {
        Set<String> read = new LinkedHashSet<>();
        Map<String, String> lambdaEnvironment = new HashMap<>(Map.of(
                AppConfig.ACCESS_TOKEN_SECRET + AppConfig.ARN_SUFFIX, "arn:aws:secretsmanager:eu-west-1:1:secret:a",
                AppConfig.REFRESH_TOKEN_SECRET + AppConfig.ARN_SUFFIX, "arn:aws:secretsmanager:eu-west-1:1:secret:r"));
        AppConfig config = AppConfig.load(name -> {
            read.add(name);
            return lambdaEnvironment.get(name);
        }, arn -> arn.endsWith(":a") ? "a".repeat(64) : "r".repeat(64));
        // Read through the same reader when the components are built.
        PasskeySettings.read(config.settings());
        DpopSettings.read(config.settings());
        return read;
    }
}
