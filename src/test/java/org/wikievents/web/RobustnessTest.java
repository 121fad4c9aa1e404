package org.wikievents.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded fuzz of every endpoint, bounded for the suite (the benchmark's robustness part runs a
 * longer one): no 5xx, no stack trace in any answer, every answer within a deadline. The other
 * hostile clients (hang-ups, non-readers, crowds, malformed auth) are in {@link LiveStreamTest} and
 * {@link DashboardHardeningTest}; hostile recordings in the cli and source tests.
 */
class RobustnessTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  @TempDir static Path dir;
  private static DashboardFixture open;
  private static DashboardFixture locked;

  @BeforeAll
  static void start() throws Exception {
    open = new DashboardFixture(dir.resolve("open"), null).replay(DashboardFixture.SAMPLE);
    locked = new DashboardFixture(dir.resolve("locked"), "user:secret");
  }

  @AfterAll
  static void stop() throws Exception {
    open.close();
    locked.close();
  }

  @Test
  void everyEndpointHoldsUnderAFuzzOfParametersAndHeaders() throws Exception {
    ApiFuzz.Result r = ApiFuzz.run(open.server.port(), 15, 400, DEADLINE, null);
    assertThat(r.failures()).isEmpty();
    // The fuzz reaches both sides: answers and refusals.
    assertThat(r.byStatus()).containsKeys(200, 400);
  }

  @Test
  void withAuthTheFuzzOfCredentialsGetsRefusalsOnly() throws Exception {
    ApiFuzz.Result r = ApiFuzz.run(locked.server.port(), 16, 200, DEADLINE, "user:secret");
    assertThat(r.failures()).isEmpty();
    assertThat(r.byStatus()).containsKey(401);
  }
}
