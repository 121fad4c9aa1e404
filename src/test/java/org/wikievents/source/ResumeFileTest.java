package org.wikievents.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeFileTest {
  @TempDir Path dir;

  @Test
  void aMissingFileMeansNoResumePoint() throws Exception {
    assertThat(new ResumeFile(dir.resolve("none.json")).load()).isEmpty();
  }

  @Test
  void savedIdsComeBackAndNoTemporaryFileStays() throws Exception {
    ResumeFile f = new ResumeFile(dir.resolve("sub/state.json"));
    String id = "[{\"topic\":\"eqiad.mediawiki.recentchange\",\"partition\":0,\"offset\":7}]";
    f.save(Map.of("recentchange", "old"));
    f.save(Map.of("recentchange", id, "page-create", "x"));
    assertThat(f.load()).containsOnly(Map.entry("recentchange", id), Map.entry("page-create", "x"));
    try (var files = Files.list(dir.resolve("sub"))) {
      assertThat(files).containsExactly(dir.resolve("sub/state.json"));
    }
  }

  @Test
  void aDamagedFileIsReportedNotIgnored() throws Exception {
    Path p = dir.resolve("state.json");
    Files.writeString(p, "{\"recentchange\": ");
    assertThatThrownBy(() -> new ResumeFile(p).load())
        .hasMessageStartingWith("the resume file " + p + " is damaged");
  }
}
