package org.wikievents.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.MisdirectedRequestResponse;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.wikievents.load.IngestState;
import org.wikievents.load.Loader;
import org.wikievents.store.Snapshot;
import org.wikievents.store.StoreException;
import org.wikievents.store.StoreReader;
import org.wikievents.store.Table;

/**
 * The dashboard: the page (static files and the vendored ECharts from the classpath, nothing from
 * the network), a JSON/CSV endpoint per panel, a live SSE stream, {@code /health} and {@code
 * /metrics}. Reads only.
 */
public final class DashboardServer implements AutoCloseable {
  static final String CSP =
      "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:;"
          + " style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'; form-action 'self'";
  private static final Duration WIKIS_CACHE = Duration.ofSeconds(5);
  private static final String WINDOW = "range/window";
  private static final String CHANGES = "range/changes";

  /** What the silver panels of a range are called in its note: what the cap shortens. */
  private static final String SILVER_PANELS =
      "top pages, editors, page spikes, namespaces, new pages, the feed and the editors card";

  private static final String CAP_TEXT = TimeRange.SILVER_CAP.toHours() + " h";

  /** The ranges of the page's presets, each ending at the newest event ({@code all}: the store). */
  private static final Map<String, Duration> PRESETS =
      Map.of(
          "1h", Duration.ofHours(1),
          "24h", Duration.ofDays(1),
          "7d", Duration.ofDays(7),
          "30d", Duration.ofDays(30));

  private static final String FEED_CURSOR = "feed_cursor";
  private static final String FEED_SINCE = "feed_since";

  /**
   * Where the dashboard listens, who may read it and what {@code /health} says about ingestion.
   *
   * @param host the address to listen on: 127.0.0.1 (this machine only), 0.0.0.0 (everywhere)
   * @param port the port to listen on; 0 picks a free one
   * @param auth {@code user:password} for HTTP basic auth, or null for none
   * @param liveInterval how often the live stream looks for changes
   * @param ingest what {@code /health} reports about ingestion
   */
  public record Settings(
      String host, int port, String auth, Duration liveInterval, Supplier<IngestState> ingest) {}

  /**
   * What the server allows hostile or careless clients.
   *
   * @param maxLiveClients live streams open at once; more get 503 with {@code Retry-After}
   * @param maxConnectionsPerClient connections one client address may hold open
   * @param headerDeadline time a client has to send a request's headers
   * @param allowedHosts {@code Host} names answered besides loopback ones; empty: any name, unless
   *     bound to loopback ({@code *}: any name)
   */
  public record Limits(
      int maxLiveClients,
      int maxConnectionsPerClient,
      Duration headerDeadline,
      List<String> allowedHosts) {
    public static final Limits DEFAULT = new Limits(1000, 64, Duration.ofSeconds(10), List.of());

    public Limits {
      allowedHosts = List.copyOf(allowedHosts);
    }
  }

  private final StoreReader reader;
  private final PrometheusMeterRegistry registry;
  private final Settings settings;
  private final Limits limits;
  private final BasicAuth auth;
  private final AllowedHosts hosts;
  private final SharedReads shared = new SharedReads();

  private final ObjectMapper json = new ObjectMapper();
  private final LiveUpdates live;
  private final Javalin app;
  private volatile List<String> knownWikis = List.of();
  private volatile long knownWikisAt;

  private DashboardServer(
      StoreReader reader, PrometheusMeterRegistry registry, Settings settings, Limits limits) {
    this.reader = reader;
    this.registry = registry;
    this.settings = settings;
    this.limits = limits;
    this.auth = settings.auth() == null ? null : new BasicAuth(settings.auth());
    this.hosts = AllowedHosts.of(settings.host(), limits.allowedHosts());
    this.live =
        new LiveUpdates(
            new LiveUpdates.Reads() {
              @Override
              public LiveView.Read read(ApiQuery query, long after, boolean panels)
                  throws Exception {
                return liveRead(query, after, panels);
              }

              @Override
              public String version() throws StoreException {
                return String.valueOf(reader.read(List.of(), Map.of()).asOf());
              }
            },
            settings.liveInterval(),
            limits.maxLiveClients());
    this.app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.staticFiles.add("/web", Location.CLASSPATH);
              config.jetty.modifyServer(
                  server -> server.setErrorHandler(new HeaderedErrorHandler()));
              config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
              config.jetty.addConnector(this::connector);
              routes(config.routes);
            });
  }

  private void routes(RoutesConfig routes) {
    routes.before(ctx -> securityHeaders(ctx.res()::setHeader));
    routes.before(this::checkHost);
    routes.before(this::authenticate);
    routes.before("/api/*", ctx -> ctx.attribute("query", validated(ctx)));
    for (String path : List.of("/api/snapshot", "/api/live", "/api/changes")) {
      routes.before(path, ctx -> checkPreset(query(ctx)));
    }
    for (Panel p : Panel.values()) {
      routes.get("/api/" + p.path, ctx -> panel(ctx, p));
    }
    routes.get("/api/wikis", ctx -> send(ctx, "wikis", wikisTable(ctx)));
    routes.get("/api/changes", this::changes);
    routes.get(
        "/api/snapshot",
        ctx ->
            ctx.contentType("application/json")
                .result(shared.get(readKey(ctx), () -> snapshotJson(query(ctx)))));
    routes.get("/api/live", this::live);
    routes.get("/health", this::health);
    routes.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    routes.exception(
        BadRequestResponse.class,
        (e, ctx) -> ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
    routes.exception(
        StoreException.class,
        (e, ctx) ->
            ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", e.getMessage())));
  }

  /** Starts serving on {@code settings.port()} with the default limits. */
  public static DashboardServer start(
      StoreReader reader, PrometheusMeterRegistry registry, Settings settings) {
    return start(reader, registry, settings, Limits.DEFAULT);
  }

  /** Starts serving on {@code settings.host()} and {@code settings.port()}. */
  public static DashboardServer start(
      StoreReader reader, PrometheusMeterRegistry registry, Settings settings, Limits limits) {
    DashboardServer s = new DashboardServer(reader, registry, settings, limits);
    s.app.start();
    return s;
  }

  /** The address listened on. */
  public String host() {
    return settings.host();
  }

  private Connector connector(Server server, HttpConfiguration http) {
    ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
    c.setHost(settings.host());
    c.setPort(settings.port());
    c.addEventListener(
        new ConnectionGuard(
            limits.maxConnectionsPerClient(), limits.headerDeadline(), server.getScheduler()));
    return c;
  }

  /** The Jetty server underneath, for tests that need to shape its sockets. */
  Server jetty() {
    return app.jettyServer().server();
  }

  /** The port actually listened on. */
  public int port() {
    return app.port();
  }

  /** The headers docs/dashboard.md promises on every answer, Jetty's own error pages included. */
  static void securityHeaders(BiConsumer<String, String> set) {
    set.accept("Content-Security-Policy", CSP);
    set.accept("X-Content-Type-Options", "nosniff");
    set.accept("Referrer-Policy", "no-referrer");
    set.accept("X-Frame-Options", "DENY");
  }

  /** Jetty's answers to requests it cannot parse (400, 414, 431, 505), with the same headers. */
  private static final class HeaderedErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      securityHeaders(response.getHeaders()::put);
      return super.handle(request, response, callback);
    }
  }

  private void checkHost(Context ctx) {
    if (!hosts.allows(ctx.header("Host"))) {
      throw new MisdirectedRequestResponse(
          "this dashboard does not answer to the host name given (see --allowed-hosts)");
    }
  }

  private void authenticate(Context ctx) {
    if (auth == null || ctx.path().equals("/health")) {
      return;
    }
    long now = System.currentTimeMillis();
    String address = ctx.req().getRemoteAddr();
    switch (auth.check(address, ctx.header("Authorization"), now)) {
      case OK -> {}
      case WAIT -> {
        ctx.header("Retry-After", String.valueOf(auth.retryAfterSeconds(address, now)));
        throw new TooManyRequestsResponse("too many failed logins; try again later");
      }
      case WRONG -> {
        ctx.header("WWW-Authenticate", "Basic realm=\"wiki-events\", charset=\"UTF-8\"");
        throw new UnauthorizedResponse("authentication required");
      }
    }
  }

  private void live(Context ctx) {
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw new HttpResponseException(
          HttpStatus.NOT_ACCEPTABLE.getCode(),
          "/api/live is an event stream: send Accept: text/event-stream");
    }
    live.connect(ctx, query(ctx));
  }

  private static String readKey(Context ctx) {
    return readKey(ctx.path(), query(ctx));
  }

  /**
   * Identical reads share one computation: keyed by the path and the validated query, filter and
   * range included. Free text (a title, a user) goes last, each with its length, so no two queries
   * make the same key.
   */
  static String readKey(String path, ApiQuery q) {
    return path
        + "|"
        + q.filterKey()
        + "|"
        + q.csv()
        + "|"
        + (q.title() == null ? "-" : q.title().length() + ":" + q.title())
        + "|"
        + (q.user() == null ? "-" : q.user().length() + ":" + q.user());
  }

  private ApiQuery validated(Context ctx) throws StoreException {
    ApiQuery q = ApiQuery.of(ctx);
    if (q.wiki() != null && !wikis().contains(q.wiki())) {
      throw new BadRequestResponse("unknown wiki '" + q.wiki() + "'");
    }
    return q;
  }

  private static ApiQuery query(Context ctx) {
    return ctx.attribute("query");
  }

  private List<String> wikis() throws StoreException {
    long now = System.currentTimeMillis();
    if (now - knownWikisAt > WIKIS_CACHE.toMillis()) {
      List<String> names = new ArrayList<>();
      for (List<Object> row : readOne("wikis", new HashMap<>()).rows()) {
        names.add((String) row.get(0));
      }
      knownWikis = List.copyOf(names);
      knownWikisAt = now;
    }
    return knownWikis;
  }

  private Snapshot wikisTable(Context ctx) throws StoreException {
    if (query(ctx).range() != null || query(ctx).span() != null) {
      throw new BadRequestResponse("/api/wikis takes no range");
    }
    return reader.read(List.of("wikis"), new HashMap<>());
  }

  private Table readOne(String name, Map<String, Object> params) throws StoreException {
    return reader.read(List.of(name), params).table(name);
  }

  private void panel(Context ctx, Panel p) throws Exception {
    ApiQuery q = query(ctx);
    if (q.title() != null || q.user() != null) {
      throw new BadRequestResponse("/api/" + p.path + " takes no title or user (see /api/changes)");
    }
    TimeRange r = q.span();
    String name = r == null ? p.query(q.range()) : p.rangeQuery();
    Map<String, Object> params =
        r == null ? p.withWindow(q.filterParams(), q.range()) : r.addTo(q.filterParams());
    List<String> names = r == null ? List.of(name) : List.of(name, WINDOW);
    String body =
        shared.get(
            readKey(ctx),
            () -> {
              Timer.Sample t = Timer.start(registry);
              Snapshot s = reader.read(names, params);
              t.stop(
                  Timer.builder("wiki_events_api_read")
                      .description("Time to read one panel from the store for /api.")
                      .tag("panel", p.path)
                      .register(registry));
              return render(q, s, name, r, p.readsSilver());
            });
    answer(ctx, q, name, body);
  }

  /**
   * The changes of one page ({@code wiki} and {@code title}) or of one editor ({@code user}) in a
   * range, newest first, from silver: the page's drill-down.
   */
  private void changes(Context ctx) throws Exception {
    ApiQuery q = query(ctx);
    if ((q.title() == null) == (q.user() == null)) {
      throw new BadRequestResponse("/api/changes takes either title (with wiki) or user");
    }
    if (q.title() != null && q.wiki() == null) {
      throw new BadRequestResponse("a title needs its wiki");
    }
    String body =
        shared.get(
            readKey(ctx),
            () -> {
              TimeRange r = resolve(q);
              Map<String, Object> params = r.addTo(q.filterParams());
              params.put("title", q.title());
              params.put("user", q.user());
              Timer.Sample t = Timer.start(registry);
              Snapshot s = reader.read(List.of(CHANGES, WINDOW), params);
              t.stop(registry.timer("wiki_events_api_read", "panel", "changes"));
              return render(q, s, CHANGES, r, true);
            });
    answer(ctx, q, CHANGES, body);
  }

  /**
   * The range of a snapshot, the live stream or the changes: {@code from} and {@code to}, or a
   * preset ending at the newest event (read first: a batch committed before the panels are read
   * only adds events after the range's end, which the next update shows).
   */
  private TimeRange resolve(ApiQuery q) throws StoreException {
    if (q.span() != null) {
      return q.span();
    }
    String preset = q.range() == null ? "24h" : q.range();
    checkPreset(q);
    Snapshot w = reader.read(List.of(WINDOW), Map.of());
    Instant newest = w.asOf() == null ? Instant.now() : w.asOf();
    Object first = w.table(WINDOW).rows().get(0).get(1);
    if (preset.equals("all")) {
      Instant from = first == null ? newest : Instant.parse((String) first);
      return TimeRange.covering(from, newest.plusMillis(1));
    }
    return TimeRange.ending(newest, PRESETS.get(preset));
  }

  /** The snapshot, the live stream and the changes take the page's presets and nothing else. */
  private static void checkPreset(ApiQuery q) {
    if (q.range() != null && !q.range().equals("all") && !PRESETS.containsKey(q.range())) {
      throw new BadRequestResponse("range must be one of 1h, 24h, 7d, 30d, all");
    }
  }

  private void send(Context ctx, String name, Snapshot s) throws Exception {
    answer(ctx, query(ctx), name, render(query(ctx), s, name, null, false));
  }

  private static void answer(Context ctx, ApiQuery q, String name, String body) {
    if (q.csv()) {
      ctx.contentType("text/csv; charset=utf-8");
      String file = name.replace("range/", "");
      ctx.header("Content-Disposition", "attachment; filename=\"" + file + ".csv\"");
    } else {
      ctx.contentType("application/json");
    }
    ctx.result(body);
  }

  /**
   * One table as CSV or JSON; a panel that reads silver says from when on silver can answer ({@code
   * silverFrom}, null while it holds everything); with a range {@code r}, JSON also says the range
   * and, for such a panel, where silver begins within it.
   */
  private String render(ApiQuery q, Snapshot s, String name, TimeRange r, boolean silver)
      throws Exception {
    Table t = s.table(name);
    if (q.csv()) {
      return Csv.of(t);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("asOf", s.asOf() == null ? null : s.asOf().toString());
    if (silver) {
      body.put("silverFrom", instant(s.silverFrom()));
    }
    if (r != null) {
      body.putAll(rangeFields(r, s.asOf()));
      if (silver) {
        // The drill-down reads its whole range; only retention can shorten it.
        body.putAll(
            name.equals(CHANGES)
                ? silverFields(r, s.table(WINDOW), r.from(), "these changes")
                : silverFields(r, s.table(WINDOW), r.silverFrom(), SILVER_PANELS));
      }
    }
    body.put("columns", t.columns());
    body.put("rows", t.rows());
    return json.writeValueAsString(body);
  }

  private static Map<String, Object> rangeFields(TimeRange r, Instant asOf) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", r.from().toString());
    m.put("to", r.to().toString());
    m.put("resolution", r.resolution().sql());
    m.put("fixed", r.endsBy(asOf));
    return m;
  }

  /**
   * Where silver begins ({@code silverFrom}), the span the silver reads of range {@code r} answered
   * ({@code silverWindow}, {@code {from, to}}, null when silver holds nothing of it) and a plain
   * note when that span is shorter than the range: the silver panels read from {@code readFrom} (at
   * most the range's newest {@link TimeRange#SILVER_CAP}, see {@link TimeRange#silverFrom()}), and
   * retention may have trimmed silver later than that while gold goes back further.
   *
   * @param panels what the note names as shortened
   */
  private static Map<String, Object> silverFields(
      TimeRange r, Table window, Instant readFrom, String panels) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Object> row = window.rows().get(0);
    String silverFrom = (String) row.get(0);
    String goldFrom = (String) row.get(1);
    m.put("silverFrom", silverFrom);
    boolean trimmed = false;
    if (silverFrom != null && goldFrom != null) {
      // Gold is kept by the hour: silver's first hour is where the two can be compared.
      Instant hour = Instant.parse(silverFrom).truncatedTo(ChronoUnit.HOURS);
      Instant gold = Instant.parse(goldFrom);
      trimmed = readFrom.isBefore(hour) && gold.isBefore(hour) && r.to().isAfter(gold);
    }
    Instant from = trimmed ? Instant.parse(silverFrom) : readFrom;
    Map<String, Object> answered = null;
    if (from.isBefore(r.to())) {
      answered = new LinkedHashMap<>();
      answered.put("from", from.toString());
      answered.put("to", r.to().toString());
    }
    m.put("silverWindow", answered);
    m.put("note", silverNote(readFrom.isAfter(r.from()), trimmed, silverFrom, answered, panels));
    return m;
  }

  /** The note of {@link #silverFields}: null unless the cap or retention shortened the range. */
  private static String silverNote(
      boolean capped, boolean trimmed, String kept, Map<String, Object> answered, String panels) {
    if (!capped && !trimmed) {
      return null;
    }
    if (answered == null) {
      return "Single changes are kept from "
          + kept
          + " on, after this range: "
          + panels
          + " have nothing to show.";
    }
    String span = answered.get("from") + " to " + answered.get("to") + ".";
    String cap = "Single changes are read for at most the newest " + CAP_TEXT + " of a range";
    if (!trimmed) {
      return cap + ": " + panels + " cover " + span;
    }
    if (capped) {
      return cap + " and are kept from " + kept + " on: " + panels + " cover only " + span;
    }
    return "Single changes are kept from "
        + kept
        + " on; this range starts earlier, so "
        + panels
        + " cover only "
        + span;
  }

  /**
   * Every panel read in one snapshot: what the live stream sends. Without a range each panel has
   * its default window; with {@code from}/{@code to} or a preset {@code range} every panel follows
   * that range.
   */
  private String snapshotJson(ApiQuery q) throws Exception {
    if (q.title() != null || q.user() != null) {
      throw new BadRequestResponse("the snapshot takes no title or user (see /api/changes)");
    }
    if (q.span() != null || q.range() != null) {
      return rangeSnapshotJson(q, resolve(q));
    }
    Snapshot s = reader.read(panelQueries(), panelParams(q));
    Map<String, Object> panels = new LinkedHashMap<>();
    for (Panel p : Panel.values()) {
      Table t = s.table(p.query(null));
      Map<String, Object> panel = new LinkedHashMap<>();
      if (p.readsSilver()) {
        panel.put("silverFrom", instant(s.silverFrom()));
      }
      panel.put("columns", t.columns());
      panel.put("rows", t.rows());
      panels.put(p.key(), panel);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("asOf", s.asOf() == null ? null : s.asOf().toString());
    body.put("filter", filterJson(q));
    body.put("panels", panels);
    return json.writeValueAsString(body);
  }

  private String rangeSnapshotJson(ApiQuery q, TimeRange r) throws Exception {
    List<String> names = new ArrayList<>();
    for (Panel p : Panel.values()) {
      names.add(p.rangeQuery());
    }
    names.add(WINDOW);
    Snapshot s = reader.read(names, r.addTo(q.filterParams()));
    Map<String, Object> panels = new LinkedHashMap<>();
    for (Panel p : Panel.values()) {
      Table t = s.table(p.rangeQuery());
      panels.put(p.key(), Map.of("columns", t.columns(), "rows", t.rows()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("asOf", s.asOf() == null ? null : s.asOf().toString());
    body.put("filter", filterJson(q));
    body.putAll(rangeJson(q, r, s));
    body.put("panels", panels);
    return json.writeValueAsString(body);
  }

  /** The {@code range} and {@code silver} fields of a ranged snapshot. */
  private static Map<String, Object> rangeJson(ApiQuery q, TimeRange r, Snapshot s) {
    Map<String, Object> range = rangeFields(r, s.asOf());
    range.put("preset", q.range());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("range", range);
    m.put("silver", silverFields(r, s.table(WINDOW), r.silverFrom(), SILVER_PANELS));
    return m;
  }

  /**
   * What the live stream sends, in one snapshot: the newest batch, with {@code withPanels} every
   * panel, and with {@code after >= 0} the feed rows committed after it.
   */
  private LiveView.Read liveRead(ApiQuery q, long after, boolean withPanels) throws Exception {
    if (q.span() != null || q.range() != null) {
      return rangeLiveRead(q, withPanels);
    }
    List<String> names = new ArrayList<>(withPanels ? panelQueries() : List.of());
    names.add(FEED_CURSOR);
    if (after >= 0) {
      names.add(FEED_SINCE);
    }
    Map<String, Object> params = panelParams(q);
    params.put("after", after);
    Snapshot s = reader.read(names, params);
    return new LiveView.Read(
        s.asOf() == null ? null : s.asOf().toString(),
        filterJson(q),
        withPanels ? panelsJson(s, p -> p.query(null)) : null,
        feedCursor(s),
        after >= 0 ? s.table(FEED_SINCE) : null,
        null);
  }

  /**
   * The live read of a range: its panels, no new feed rows (those of the feed panel's range come
   * with the panels), and the range's fields, which move with the newest event for a preset.
   */
  private LiveView.Read rangeLiveRead(ApiQuery q, boolean withPanels) throws Exception {
    TimeRange r = resolve(q);
    List<String> names = new ArrayList<>();
    if (withPanels) {
      for (Panel p : Panel.values()) {
        names.add(p.rangeQuery());
      }
    }
    names.add(WINDOW);
    names.add(FEED_CURSOR);
    Map<String, Object> params = r.addTo(q.filterParams());
    Snapshot s = reader.read(names, params);
    return new LiveView.Read(
        s.asOf() == null ? null : s.asOf().toString(),
        filterJson(q),
        withPanels ? panelsJson(s, Panel::rangeQuery) : null,
        feedCursor(s),
        null,
        rangeJson(q, r, s));
  }

  /** Every panel of a read, as the JSON a live update carries, by panel key. */
  private Map<String, String> panelsJson(Snapshot s, Function<Panel, String> query)
      throws IOException {
    Map<String, String> panels = new LinkedHashMap<>();
    for (Panel p : Panel.values()) {
      Table t = s.table(query.apply(p));
      panels.put(
          p.key(), json.writeValueAsString(Map.of("columns", t.columns(), "rows", t.rows())));
    }
    return panels;
  }

  private static long feedCursor(Snapshot s) {
    return ((Number) s.table(FEED_CURSOR).rows().get(0).get(0)).longValue();
  }

  private static List<String> panelQueries() {
    List<String> names = new ArrayList<>();
    for (Panel p : Panel.values()) {
      names.add(p.query(null));
    }
    return names;
  }

  private static Map<String, Object> panelParams(ApiQuery q) {
    Map<String, Object> params = q.filterParams();
    params.put("minutes", 24 * 60);
    params.put("hours", 7 * 24);
    return params;
  }

  private static Map<String, Object> filterJson(ApiQuery q) {
    Map<String, Object> filter = new LinkedHashMap<>();
    filter.put("wiki", q.wiki());
    filter.put("bot", q.who());
    filter.put("type", q.type());
    return filter;
  }

  /**
   * A batch was committed to the store this dashboard reads (called by a loader in the same
   * process): live clients are sent what changed now rather than at the next poll.
   */
  public void storeChanged() {
    live.storeChanged();
  }

  private static String instant(Instant t) {
    return t == null ? null : t.toString();
  }

  /**
   * 200 while the store answers and ingestion is healthy; 503 when the store is down or the ingest
   * view says {@code "healthy": false} (the feed has been failing or silent too long).
   */
  private void health(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    IngestState ingest = settings.ingest().get();
    boolean ingestHealthy = ingest.healthy();
    try {
      Snapshot s = reader.read(List.of(), Map.of());
      body.put("status", ingestHealthy ? "ok" : "failing");
      body.put("store", "reachable");
      body.put("newestEvent", s.asOf() == null ? null : s.asOf().toString());
      body.put(
          "newestEventAgeSeconds",
          s.asOf() == null ? null : Duration.between(s.asOf(), Instant.now()).toSeconds());
      if (!ingestHealthy) {
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
      }
    } catch (StoreException e) {
      body.put("status", "down");
      body.put("store", e.getMessage());
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    body.put("ingest", ingestJson(ingest));
    body.put("liveClients", live.clientCount());
    ctx.json(body);
  }

  static Map<String, Object> ingestJson(IngestState s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.phase().name().toLowerCase(Locale.ROOT));
    if (s.detail() != null) {
      m.put("detail", s.detail());
    }
    if (s.error() != null) {
      m.put("error", s.error());
    }
    Loader.Totals t = s.totals();
    if (t != null) {
      m.put("received", t.received());
      m.put("stored", t.stored());
      m.put("duplicates", t.duplicates());
      m.put("quarantined", t.quarantined());
      m.put("lastCommit", s.lastCommit() == null ? null : s.lastCommit().toString());
    }
    IngestState.Feed f = s.feed();
    if (f != null) {
      Map<String, Object> source = new LinkedHashMap<>();
      source.put("state", f.state());
      source.put("since", text(f.since()));
      source.put("failingSince", text(f.failingSince()));
      source.put("lastError", f.lastError());
      source.put("lastEventReceived", text(f.lastEvent()));
      source.put(
          "lastEventAgeSeconds",
          f.lastEvent() == null
              ? null
              : Duration.between(f.lastEvent(), Instant.now()).toSeconds());
      source.put("healthy", f.healthy());
      m.put("source", source);
    }
    m.put("healthy", s.healthy());
    return m;
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  @Override
  public void close() {
    live.close();
    app.stop();
  }
}
