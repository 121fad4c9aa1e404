package org.wikievents.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.event.RawEvent;

/**
 * A live server that sends one event far over the cap: the event is cut at the cap (and then
 * quarantined by the parser as too large), the stream goes on, memory stays bounded.
 */
class OversizedEventTest {
  private static final long HUGE = 40L << 20;

  /** How often the server sends a comment on the quiet stream, as EventStreams does. */
  private static final Duration KEEPALIVE = Duration.ofMillis(200);

  private final EventRecorder recorder = new EventRecorder();
  private HttpServer server;
  private SseEventSource source;
  private Thread running;

  @AfterEach
  void close() throws Exception {
    if (source != null) {
      source.close();
      running.join(10_000);
    }
    if (server != null) {
      server.stop(0);
    }
    recorder.assertExhausted();
  }

  @Test
  void aHugeLineFromTheServerIsCutAtTheCapAndTheStreamGoesOn() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/stream",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(frame("1", "{\"before\":1}"));
            out.write("id: 2\ndata: {\"huge\":\"".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (long sent = 0; sent < HUGE; sent += chunk.length) {
              out.write(chunk);
            }
            out.write("\"}\n\n".getBytes(StandardCharsets.UTF_8));
            out.write(frame("3", "{\"after\":3}"));
            out.flush();
            while (true) {
              out.write(":\n".getBytes(StandardCharsets.UTF_8));
              out.flush();
              Thread.sleep(KEEPALIVE.toMillis());
            }
          } catch (IOException | InterruptedException clientLeft) {
            // the source was closed
          }
        });
    server.start();
    HttpUrl url = HttpUrl.get("http://127.0.0.1:" + server.getAddress().getPort() + "/stream");
    source =
        new SseEventSource(
            new SseSettings(
                url,
                "recentchange",
                "wiki-events-test",
                null,
                null,
                Duration.ofMinutes(1),
                Duration.ofMillis(20),
                Duration.ofMillis(200)),
            recorder.status());
    running =
        new Thread(
            () -> {
              try {
                source.run(recorder);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    running.start();

    recorder.assertOpen();
    assertThat(recorder.assertEvent().data()).isEqualTo("{\"before\":1}");
    RawEvent cut = recorder.assertEvent();
    assertThat(cut.sseId()).isEqualTo("2");
    // The cap holds for the whole event, its id: and data: names included.
    assertThat(cut.utf8().length)
        .isLessThanOrEqualTo(RecordingSource.MAX_LINE_BYTES)
        .isGreaterThan(RecordingSource.MAX_LINE_BYTES - 100);
    assertThat(new String(cut.utf8(), 0, 12, StandardCharsets.UTF_8)).isEqualTo("{\"huge\":\"xxx");
    assertThat(recorder.assertEvent().data()).isEqualTo("{\"after\":3}");
    source.close();
    recorder.assertStopped();
  }

  @Test
  void aRecordingsLinesThatAreNeitherFieldsNorCommentsAreCountedAndTheEventsStillRead(
      @TempDir Path dir) throws Exception {
    Path capture = dir.resolve("capture.sse");
    Files.writeString(
        capture,
        ": a comment\nevent: message\nid: 1\ndata: {}\nretry: 10\ndata\n\n"
            + "garbage here\n<html>\n\nevent: message\nid: 2\ndata: {\"n\":2}\n\n",
        StandardCharsets.UTF_8);
    RecordingSource source = new RecordingSource(capture, 0);
    List<RawEvent> events = new ArrayList<>();

    source.run(events::add);

    assertThat(events).extracting(RawEvent::sseId).containsExactly("1", "2");
    assertThat(events.get(1).data()).isEqualTo("{\"n\":2}");
    // What replay reports as "skipped 2 lines that were neither SSE fields nor comments".
    assertThat(source.strayLines()).isEqualTo(2);
  }

  @Test
  void theLimiterCutsAnEventOfManyLinesAtTheCapToo() throws IOException {
    InputStream in =
        new SequenceInputStream(
            java.util.Collections.enumeration(
                List.of(
                    stream("data: " + "a".repeat(30) + "\n"),
                    stream("data: " + "b".repeat(30) + "\n"),
                    stream("data: " + "c".repeat(30) + "\n\n"),
                    stream("data: ok\n\n"))));
    SseLimiter limiter = new SseLimiter(in, 50);
    String out = new String(limiter.readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out)
        .isEqualTo(
            "data: " + "a".repeat(30) + "\n" + "data: " + "b".repeat(8) + "\n\ndata: ok\n\n");
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] frame(String id, String data) {
    return ("event: message\nid: " + id + "\ndata: " + data + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }
}
