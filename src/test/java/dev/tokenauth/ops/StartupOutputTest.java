package dev.tokenauth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StartupOutputTest {

    @Test
    void dropsOnlyTheAdaptersSourceLinesAndPutsTheStreamBack() {
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        var target = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(target);
        try {
            StartupOutput.install();
            System.out.println("======> SOURCE: class dev.tokenauth.LambdaApplication");
            System.out.println("{\"message\":\"kept\"}");
            StartupOutput.uninstall();
            assertThat(System.out).isSameAs(target);
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"kept\"}" + System.lineSeparator());
    }
}
