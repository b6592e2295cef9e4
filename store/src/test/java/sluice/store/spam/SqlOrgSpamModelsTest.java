package sluice.store.spam;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.store.EmbeddedStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

class SqlOrgSpamModelsTest {

    @TempDir
    Path dir;

    @Test
    void reportsAreServedAtOnceAndSurviveARestartPerOrganization() {
        byte[] junk = "Subject: cheap pills\r\n\r\nbuy cheap pills now\r\n".getBytes(StandardCharsets.US_ASCII);
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.spamTraining().overlay("a")).isNull();
            store.spamTraining().learn("a", junk, true);
            store.spamTraining().learn("a", "Subject: lunch\r\n\r\nnoon?\r\n".getBytes(StandardCharsets.US_ASCII), false);
            assertThat(store.spamTraining().overlay("a").spamMessages()).isEqualTo(1);
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var a = store.spamTraining().overlay("a");
            assertThat(a.spamMessages()).isEqualTo(1);
            assertThat(a.hamMessages()).isEqualTo(1);
            assertThat(store.spamTraining().overlay("b")).isNull();
        }
    }
}
