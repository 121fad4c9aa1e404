package org.wikievents.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.wikievents.load.Loader;
import org.wikievents.queue.RabbitQueue;
import org.wikievents.source.RecordingSource;
import org.wikievents.store.EventStore;
import org.wikievents.store.duckdb.DuckDb;
import org.wikievents.testing.Broker;
import org.wikievents.testing.Samples;

/**
 * Events/s from a reader at full speed through RabbitMQ (127.0.0.1:5672) into a loader and DuckDB,
 * both in this JVM, over the 2026 sample; the first of two runs warms the JVM up. {@code
 * bin/benchmark --parts broker}: only when named, since it needs the broker running.
 */
final class BrokerThroughput {
  private BrokerThroughput() {}

  static Map<String, Object> measure(Path dir) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int run = 1; run <= 2; run++) {
      Path db = dir.resolve("broker-run" + run + ".duckdb");
      java.nio.file.Files.deleteIfExists(db);
      try (Broker broker = Broker.forTest(20_000);
          RabbitQueue readerSide = new RabbitQueue(broker.settings());
          RabbitQueue loaderSide = new RabbitQueue(broker.settings());
          EventStore store = DuckDb.open(db)) {
        long start = System.nanoTime();
        Loader loader =
            new Loader(loaderSide, store, Loader.Settings.defaults(), new SimpleMeterRegistry());
        loader.start();
        Thread reader =
            new Thread(
                () -> {
                  try {
                    new RecordingSource(Samples.MULTIWIKI_2026, 0).run(readerSide);
                    readerSide.awaitConfirms();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                "bench-reader");
        reader.start();
        while (loader.totals().stored() < Samples.MULTIWIKI_EVENTS) {
          if (!loader.isRunning()) {
            throw new IllegalStateException("the loader stopped: " + loader.totals());
          }
          // Polling the figure being measured; 5 ms is well under its resolution.
          Thread.sleep(5);
        }
        long nanos = System.nanoTime() - start;
        reader.join(10_000);
        loaderSide.finishInput();
        loader.awaitFinished();
        double rate = Samples.MULTIWIKI_EVENTS / (nanos / 1e9);
        System.out.printf(
            Locale.ROOT,
            "broker throughput, run %d: %,d events reader → RabbitMQ → loader → DuckDB in %.2f s"
                + " = %,.0f events/s%n",
            run,
            Samples.MULTIWIKI_EVENTS,
            nanos / 1e9,
            rate);
        out.put("run" + run + "_seconds", nanos / 1e9);
        out.put("run" + run + "_events_per_s", rate);
      }
    }
    out.put("events", Samples.MULTIWIKI_EVENTS);
    return out;
  }
}
