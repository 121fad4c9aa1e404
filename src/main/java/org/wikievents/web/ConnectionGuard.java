package org.wikievents.web;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Per connection: a cap on how many one client address may hold open, and a deadline for the
 * request headers, so slow or piled-up connections from one client cannot take the server's.
 * Jetty's idle timeout alone lets a client trickle one header byte per idle period forever.
 */
final class ConnectionGuard implements Connection.Listener {
  private final int maxPerAddress;
  private final long deadlineMillis;
  private final Scheduler scheduler;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Connection, String> admitted = new ConcurrentHashMap<>();

  ConnectionGuard(int maxPerAddress, Duration headerDeadline, Scheduler scheduler) {
    this.maxPerAddress = maxPerAddress;
    this.deadlineMillis = headerDeadline.toMillis();
    this.scheduler = scheduler;
  }

  @Override
  public void onOpened(Connection connection) {
    String address = address(connection.getEndPoint().getRemoteSocketAddress());
    if (open.merge(address, 1, Integer::sum) > maxPerAddress) {
      release(address);
      connection.getEndPoint().close();
      return;
    }
    admitted.put(connection, address);
    if (connection instanceof HttpConnection http) {
      watch(http, 0, true);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    String address = admitted.remove(connection);
    if (address != null) {
      release(address);
    }
  }

  private void release(String address) {
    open.computeIfPresent(address, (k, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Every deadline, a connection that was reading the headers of the same request at the last look
   * too is closed. A new connection counts as reading headers from its start; one idle between
   * requests is the idle timeout's business.
   */
  private void watch(HttpConnection http, long requestsAtLastLook, boolean inHeadersAtLastLook) {
    scheduler.schedule(
        () -> {
          if (!http.getEndPoint().isOpen()) {
            return;
          }
          long requests = http.getMessagesIn();
          boolean inHeaders =
              http.getParser().inHeaderState() && !(requests > 0 && http.getParser().isStart());
          if (inHeaders && inHeadersAtLastLook && requests == requestsAtLastLook) {
            http.getEndPoint().close();
          } else {
            watch(http, requests, inHeaders);
          }
        },
        deadlineMillis,
        TimeUnit.MILLISECONDS);
  }

  private static String address(SocketAddress a) {
    return a instanceof InetSocketAddress i && i.getAddress() != null
        ? i.getAddress().getHostAddress()
        : String.valueOf(a);
  }
}
