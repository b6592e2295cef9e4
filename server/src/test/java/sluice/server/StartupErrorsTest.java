package sluice.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node that cannot open its data directory says why in one line (Main prints it), not with a stack trace. */
class StartupErrorsTest {

    @Test
    void aDataDirectoryInUseIsAStartupErrorThatNamesIt(@TempDir Path dir) {
        NodeConfig config = TestNodes.config(dir.resolve("data"), "127.0.0.1:9", 9, Map.of());
        try (Node first = Node.start(config)) {
            assertThat(first).isNotNull();
            assertThatThrownBy(() -> Node.start(TestNodes.config(dir.resolve("data"), "127.0.0.1:9", 9, Map.of())))
                    .isInstanceOf(Node.StartupException.class)
                    .hasMessageStartingWith("cannot start: the data directory ")
                    .hasMessageContaining("is in use by another Sluice process");
        }
    }
}
