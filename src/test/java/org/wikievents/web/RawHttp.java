package org.wikievents.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 over a plain loopback socket, for what no well-behaved client sends: malformed requests,
 * clients that never read, clients that hang up mid-stream.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  static RawHttp connect(int port) throws IOException {
    return connect(port, 0);
  }

  /**
   * @param receiveBuffer the socket's receive buffer in bytes; 0 for the system's default
   */
  static RawHttp connect(int port, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(10_000);
    return new RawHttp(s);
  }

  RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** A GET with the given extra header lines (each ending in CRLF). */
  RawHttp get(String target, String headers) throws IOException {
    return send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
  }

  /** Reads up to {@code n} bytes, as many as come within the socket's timeout. */
  byte[] read(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    return b;
  }

  /** The status line and headers of the answer. */
  String head() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      out.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Everything until the server closes the connection (or the timeout passes). */
  String rest(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // what came so far
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Whether the server closed the connection within the timeout. */
  boolean closedByServerWithin(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      byte[] buf = new byte[8192];
      while (true) {
        if (in.read(buf) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  static int status(String head) {
    return Integer.parseInt(head.substring(9, 12));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
