package org.wikievents.web;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code Host} headers the dashboard answers. A page on another site can reach a dashboard on
 * loopback through DNS rebinding (its own name, resolved to 127.0.0.1), so a dashboard bound to
 * loopback answers only loopback names; a dashboard bound elsewhere answers any name unless an
 * allow-list is given. Loopback names are always allowed.
 */
final class AllowedHosts {
  private final Set<String> names;
  private final boolean any;

  private AllowedHosts(Set<String> names, boolean any) {
    this.names = names;
    this.any = any;
  }

  /**
   * @param bindHost the address listened on
   * @param allowList host names allowed besides loopback ones; empty for the default
   */
  static AllowedHosts of(String bindHost, List<String> allowList) {
    boolean any = allowList.isEmpty() ? !isLoopback(bindHost) : allowList.contains("*");
    return new AllowedHosts(
        allowList.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()), any);
  }

  /** Whether a request with this {@code Host} header (null when absent) is answered. */
  boolean allows(String hostHeader) {
    if (any || hostHeader == null) {
      return true;
    }
    String host = withoutPort(hostHeader.strip().toLowerCase(Locale.ROOT));
    return isLoopback(host) || names.contains(host);
  }

  private static String withoutPort(String h) {
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 || h.indexOf(':', colon + 1) >= 0 ? h : h.substring(0, colon);
  }

  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1")
        || h.matches("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");
  }
}
