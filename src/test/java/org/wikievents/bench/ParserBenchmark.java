package org.wikievents.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.wikievents.event.EventParser;
import org.wikievents.event.RawEvent;
import org.wikievents.testing.Samples;

/** JMH: {@link EventParser} over the 2,476 real events of the 2026 sample; score = events/s. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParserBenchmark {
  static final int EVENTS = 2476;

  private final EventParser parser = new EventParser();
  private List<RawEvent> events;

  @Setup
  public void load() {
    events =
        Samples.lines(Samples.MULTIWIKI_2026).stream()
            .map(line -> RawEvent.of("replay", null, line, 0))
            .toList();
    if (events.size() != EVENTS) {
      throw new IllegalStateException("expected " + EVENTS + " events, got " + events.size());
    }
  }

  /** Average bytes of UTF-8 JSON per event, to turn events/s into MB/s. */
  static double averageEventBytes() {
    return Samples.lines(Samples.MULTIWIKI_2026).stream()
        .mapToInt(l -> l.getBytes(StandardCharsets.UTF_8).length)
        .average()
        .orElseThrow();
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void parse(Blackhole bh) {
    for (RawEvent e : events) {
      bh.consume(parser.parse(e));
    }
  }
}
