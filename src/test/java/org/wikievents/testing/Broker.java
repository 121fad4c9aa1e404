package org.wikievents.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.wikievents.queue.RabbitSettings;

/**
 * The real RabbitMQ on 127.0.0.1:5672. Under {@code CI=true} a missing broker fails the test;
 * elsewhere the test is skipped with the reason. Each test gets its own exchange and queue.
 */
public final class Broker implements AutoCloseable {
  public static final String URI = "amqp://guest:guest@127.0.0.1:5672/%2f";

  private final RabbitSettings settings;

  private Broker(RabbitSettings settings) {
    this.settings = settings;
  }

  /** Unique names for one test, deleted again by {@link #close}. */
  public static Broker forTest(int prefetch) {
    requireRunning();
    String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
    return new Broker(new RabbitSettings(URI, id + "-x", id + "-q", prefetch, 500, 20));
  }

  public RabbitSettings settings() {
    return settings;
  }

  /** Whether a connection to the broker opens now. */
  static boolean reachable() {
    try (Connection c = factory().newConnection()) {
      return c.isOpen();
    } catch (Exception e) {
      return false;
    }
  }

  public static void requireRunning() {
    try (Connection c = factory().newConnection()) {
      assertThat(c.isOpen()).isTrue();
    } catch (Exception e) {
      String why = "RabbitMQ is not reachable at 127.0.0.1:5672 (" + e + ")";
      if ("true".equals(System.getenv("CI"))) {
        fail(why + "; under CI=true this is a failure");
      }
      Assumptions.abort(why + ": skipped");
    }
  }

  /** A plain channel, for what a test does behind the application's back. */
  public <T> T withChannel(ChannelAction<T> action) throws Exception {
    try (Connection c = factory().newConnection();
        Channel ch = c.createChannel()) {
      return action.run(ch);
    }
  }

  /** Messages ready in the test's queue (not counting those delivered and unacknowledged). */
  public long ready() throws Exception {
    return withChannel(ch -> (long) ch.queueDeclarePassive(settings.queue()).getMessageCount());
  }

  public interface ChannelAction<T> {
    T run(Channel ch) throws Exception;
  }

  /** Stops and starts the broker's application, as an operator's restart does; takes seconds. */
  public static void stopApp() throws IOException, InterruptedException {
    rabbitmqctl("stop_app");
  }

  public static void startApp() throws IOException, InterruptedException {
    rabbitmqctl("start_app");
    rabbitmqctl("await_startup");
  }

  /**
   * An operator's restart with the broker down for {@code outage} in between. The wait is the fault
   * being injected (clients find nobody for that long), not a step being ordered.
   */
  public static void restartApp(Duration outage) throws IOException, InterruptedException {
    stopApp();
    Thread.sleep(outage.toMillis());
    startApp();
  }

  private static void rabbitmqctl(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("rabbitmqctl", "-q", command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("rabbitmqctl " + command + " did not finish in 90 s");
    }
    assertThat(p.exitValue()).as("rabbitmqctl " + command).isZero();
  }

  private static ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost("127.0.0.1");
    f.setPort(5672);
    f.setConnectionTimeout(2000);
    f.setAutomaticRecoveryEnabled(false);
    return f;
  }

  @Override
  public void close() throws Exception {
    withChannel(
        ch -> {
          ch.queueDelete(settings.queue());
          ch.queueDelete(settings.deadLetterQueue());
          ch.exchangeDelete(settings.exchange());
          ch.exchangeDelete(settings.deadLetterExchange());
          return null;
        });
  }
}
