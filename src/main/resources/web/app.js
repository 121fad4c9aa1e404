// The dashboard page: one live stream (/api/live) sends a snapshot of every panel, then updates
// with only the panels that changed and the feed rows committed since; each is drawn in place.
// Event text is written by anyone: it only ever reaches the page through
// textContent, canvas-drawn chart labels, or tooltips escaped with escapeHtml.
'use strict';

const $ = (id) => document.getElementById(id);
const NAMESPACES = {
  '-2': 'Media', '-1': 'Special', 0: 'Main', 1: 'Talk', 2: 'User', 3: 'User talk', 4: 'Project',
  5: 'Project talk', 6: 'File', 7: 'File talk', 8: 'MediaWiki', 10: 'Template', 11: 'Template talk',
  12: 'Help', 14: 'Category', 15: 'Category talk', 100: 'Portal', 118: 'Draft', 120: 'Property',
  146: 'Lexeme', 828: 'Module', 2600: 'Topic',
};
const CHART_PANELS = new Set(['timeline', 'timeline_hourly', 'top_wikis', 'heatmap', 'types', 'namespaces']);
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const charts = {};
let knownWikis = new Set();
let latest = null;
let stream = null;
let updates = 0;
// The feed keeps the newest FEED_ROWS rows; rows that came faster than a frame are drawn together,
// and rows that never made it to the screen are counted, not silently lost.
const FEED_ROWS = 50;
let feedQueue = [];
let feedSkipped = 0;
let feedFrame = 0;

// ---- helpers -------------------------------------------------------------------------------

function escapeHtml(v) {
  return String(v).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

function rows(panel) {
  const t = latest.panels[panel];
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
}

function fmt(n) {
  return n == null ? '—' : Number(n).toLocaleString('en-US');
}

function hhmmss(iso) {
  return iso ? iso.substring(11, 19) : '';
}

// Links only to https pages of a plain host name, built from parts we encode ourselves.
function wikiUrl(host, query) {
  if (typeof host !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(host)) return null;
  return 'https://' + host + '/w/index.php?' + new URLSearchParams(query).toString();
}

function pageUrl(r) {
  return r.title ? wikiUrl(r.server_name, { title: r.title }) : null;
}

function diffUrl(r) {
  const rev = Number.isSafeInteger(r.revision_new) ? r.revision_new : null;
  if (rev && Number.isSafeInteger(r.revision_old)) {
    return wikiUrl(r.server_name, { diff: rev, oldid: r.revision_old });
  }
  if (rev) return wikiUrl(r.server_name, { oldid: rev });
  return pageUrl(r);
}

function cell(text, opts = {}) {
  const td = document.createElement('td');
  if (opts.cls) td.className = opts.cls;
  if (opts.href) {
    const a = document.createElement('a');
    a.href = opts.href;
    a.rel = 'noopener noreferrer nofollow';
    a.target = '_blank';
    a.textContent = text;
    td.appendChild(a);
  } else {
    td.textContent = text == null ? '' : String(text);
  }
  td.title = text == null ? '' : String(text);
  return td;
}

function fillTable(id, list, toCells) {
  const body = $(id).tBodies[0];
  const cols = $(id).tHead.rows[0].cells.length;
  const out = list.map((r) => {
    const tr = document.createElement('tr');
    toCells(r).forEach((td) => tr.appendChild(td));
    return tr;
  });
  if (!out.length) {
    const tr = document.createElement('tr');
    const td = cell('nothing in this window');
    td.colSpan = cols;
    td.className = 'empty';
    tr.appendChild(td);
    out.push(tr);
  }
  body.replaceChildren(...out);
}

/** The editor's name, tagged when a bot: the tag belongs to the editor, not to the change's type. */
function editorCell(r) {
  const td = cell(r.user);
  if (r.bot) {
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = 'bot';
    td.prepend(tag, ' ');
    td.title = r.user + ' (bot)';
  }
  return td;
}

function delta(id, now, before) {
  const el = $(id);
  if (before == null) { el.textContent = ''; return; }
  const d = now - before;
  const pct = before > 0 ? ' (' + (d >= 0 ? '+' : '') + Math.round((d / before) * 100) + '%)' : '';
  el.textContent = (d >= 0 ? '▲ +' : '▼ ') + fmt(d) + pct + ' vs previous minute';
  el.className = d >= 0 ? 'up' : 'down';
}

// ---- charts --------------------------------------------------------------------------------

function isDark() {
  return !document.body.classList.contains('light');
}

function chart(id) {
  // SVG: labels are real elements, which the browser tests measure for overlaps.
  if (!charts[id]) charts[id] = echarts.init($(id), isDark() ? 'dark' : null, { renderer: 'svg' });
  return charts[id];
}

function tooltipText(params) {
  const list = Array.isArray(params) ? params : [params];
  const head = list[0].axisValueLabel || list[0].name || '';
  return [escapeHtml(head)].concat(list.map((p) => {
    const v = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
    return escapeHtml(p.seriesName) + ': <b>' + escapeHtml(fmt(v)) + '</b>';
  })).join('<br>');
}

function base(extra) {
  return Object.assign({
    useUTC: true,
    backgroundColor: 'transparent',
    animation: false,
    grid: { left: 56, right: 16, top: 30, bottom: 32 },
    tooltip: { trigger: 'axis', formatter: tooltipText, confine: true },
    legend: { top: 0, textStyle: { fontSize: 11 } },
  }, extra);
}

function timeSeries(id, panel, series, opts = {}) {
  const data = rows(panel);
  chart(id).setOption(base({
    // margin: the first time label would touch the value axis' lowest label.
    xAxis: { type: 'time', axisLabel: { hideOverlap: true, margin: 14 } },
    yAxis: { type: 'value', max: opts.max },
    series: series.map((s) => ({
      name: s.name, type: s.type || 'line', stack: opts.stack, showSymbol: data.length < 30,
      areaStyle: opts.stack ? {} : undefined, barMaxWidth: 12,
      data: data.map((r) => [r.time, s.value(r)]),
    })),
  }), true);
}

function drawCharts() {
  timeSeries('c-minutely', 'timeline', [{ name: 'events', value: (r) => r.events }]);
  timeSeries('c-hourly', 'timeline_hourly', [{ name: 'events', type: 'bar', value: (r) => r.events }]);
  const pct = (part) => (r) => (r.events ? Math.round((1000 * part(r)) / r.events) / 10 : 0);
  timeSeries('c-bots', 'timeline', [
    { name: 'humans %', value: pct((r) => r.human) },
    { name: 'bots %', value: pct((r) => r.bot) },
  ], { stack: 'share', max: 100 });
  timeSeries('c-anon', 'timeline', [
    { name: 'registered', value: (r) => r.registered },
    { name: 'anonymous', value: (r) => r.anonymous },
  ], { stack: 'who' });
  timeSeries('c-bytes', 'timeline', [
    { name: 'added', type: 'bar', value: (r) => r.bytes_added },
    { name: 'removed', type: 'bar', value: (r) => -r.bytes_removed },
  ], { stack: 'bytes' });

  const wikis = rows('top_wikis').reverse();
  chart('c-wikis').setOption(base({
    grid: { left: 110, right: 16, top: 24, bottom: 20 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltipText, confine: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: wikis.map((r) => r.wiki), axisLabel: { width: 100, overflow: 'truncate' } },
    series: [
      { name: 'humans', type: 'bar', stack: 'w', data: wikis.map((r) => r.events - r.bot) },
      { name: 'bots', type: 'bar', stack: 'w', data: wikis.map((r) => r.bot) },
    ],
  }), true);

  const heat = rows('heatmap');
  const max = Math.max(1, ...heat.map((r) => r.events));
  chart('c-heatmap').setOption(base({
    legend: undefined,
    // Room under the hour labels for the colour scale and the values of its handles.
    grid: { left: 40, right: 16, top: 10, bottom: 84 },
    tooltip: {
      confine: true,
      formatter: (p) => escapeHtml(WEEKDAYS[p.value[1]] + ' ' + p.value[0] + ':00 UTC') +
        ': <b>' + escapeHtml(fmt(p.value[2])) + '</b> events/h',
    },
    xAxis: { type: 'category', data: [...Array(24).keys()].map(String), splitArea: { show: true } },
    yAxis: { type: 'category', data: WEEKDAYS, inverse: true, splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 4, itemWidth: 14, itemHeight: 120 },
    series: [{ name: 'avg events per hour', type: 'heatmap', data: heat.map((r) => [r.hour, r.weekday - 1, r.events]) }],
  }), true);
  $('heatmap-scope').textContent = (latest.filter.wiki || 'all wikis') + ' · avg events · UTC';

  const pie = (id, list) => chart(id).setOption(base({
    legend: { type: 'scroll', bottom: 0, textStyle: { fontSize: 11 } },
    tooltip: { trigger: 'item', confine: true,
      formatter: (p) => escapeHtml(p.name) + ': <b>' + escapeHtml(fmt(p.value)) + '</b> (' + p.percent + '%)' },
    series: [{ name: 'events', type: 'pie', radius: ['40%', '68%'], center: ['50%', '45%'],
      label: { show: false }, data: list }],
  }), true);
  pie('c-types', rows('types').map((r) => ({ name: r.type, value: r.events })));
  pie('c-namespaces', rows('namespaces').map((r) => ({
    name: r.namespace == null ? 'none' : (NAMESPACES[r.namespace] || 'ns ' + r.namespace),
    value: r.events,
  })));
}

// ---- tables and cards ----------------------------------------------------------------------

function drawTables() {
  const k = rows('kpis')[0] || {};
  $('kpi-events').textContent = fmt(k.events);
  $('kpi-editors').textContent = fmt(k.editors);
  $('kpi-wikis').textContent = fmt(k.wikis);
  $('kpi-rate').textContent = k.events_per_second == null ? '—' : Number(k.events_per_second).toFixed(1);
  delta('kpi-events-delta', k.events, k.events_before);
  delta('kpi-editors-delta', k.editors, k.editors_before);
  delta('kpi-wikis-delta', k.wikis, k.wikis_before);

  fillTable('t-spikes', rows('spikes'), (r) => [
    cell(r.wiki), cell(fmt(r.events), { cls: 'n' }), cell(fmt(r.usual), { cls: 'n' }),
    cell('×' + r.factor, { cls: 'n' })]);
  fillTable('t-page-spikes', rows('page_spikes'), (r) => [
    cell(r.title, { href: pageUrl(r) }), cell(r.wiki), cell(fmt(r.events), { cls: 'n' }),
    cell('×' + r.factor, { cls: 'n' })]);
  fillTable('t-alerts', rows('alerts'), (r) => [
    cell(r.time ? String(r.time).substring(5, 19).replace('T', ' ') : '', { cls: 'time' }),
    cell(r.rule), cell(r.state, { cls: r.state === 'firing' ? 'firing' : 'cleared' }), cell(r.message)]);
  fillTable('t-pages', rows('top_pages'), (r) => [
    cell(r.title, { href: pageUrl(r) }), cell(r.wiki), cell(fmt(r.events), { cls: 'n' })]);
  const editors = rows('editors');
  const who = (r) => [cell(r.user), cell(fmt(r.events), { cls: 'n' }), cell(fmt(r.wikis), { cls: 'n' })];
  fillTable('t-editors', editors.filter((r) => !r.bot), who);
  fillTable('t-bots', editors.filter((r) => r.bot), who);
  fillTable('t-new', rows('new_pages'), (r) => [
    cell(hhmmss(r.time), { cls: 'time' }), cell(r.title, { href: pageUrl(r) }), cell(r.wiki), cell(r.user)]);
}

function feedCells(r) {
  return [
    cell(hhmmss(r.time), { cls: 'time' }), cell(r.wiki), cell(r.type),
    cell(r.title, { href: diffUrl(r) }), editorCell(r),
    cell(r.bytes == null ? '' : (r.bytes > 0 ? '+' : '') + fmt(r.bytes), { cls: 'n' }),
    cell(r.comment)];
}

function drawFeed() {
  feedQueue = [];
  fillTable('t-feed', rows('feed'), feedCells);
}

function showSkipped() {
  $('feed-skipped').textContent = feedSkipped
    ? fmt(feedSkipped) + ' changes came too fast to show' : '';
}

// New rows (newest first) go on top of the feed at the next frame; under a burst only the newest
// FEED_ROWS of what waits are drawn and the rest are counted as skipped.
function addFeedRows(t, skipped) {
  const list = t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
  feedQueue = list.concat(feedQueue);
  feedSkipped += skipped || 0;
  if (feedQueue.length > FEED_ROWS) {
    feedSkipped += feedQueue.length - FEED_ROWS;
    feedQueue.length = FEED_ROWS;
  }
  if (!feedFrame) feedFrame = requestAnimationFrame(flushFeed);
}

function flushFeed() {
  feedFrame = 0;
  if (!feedQueue.length) return;
  const body = $('t-feed').tBodies[0];
  const empty = body.querySelector('td.empty');
  if (empty) empty.parentNode.remove();
  const fresh = feedQueue.map((r) => {
    const tr = document.createElement('tr');
    feedCells(r).forEach((td) => tr.appendChild(td));
    return tr;
  });
  body.prepend(...fresh);
  while (body.rows.length > FEED_ROWS) body.deleteRow(-1);
  // Kept for the panel's own data (CSV links read the API): the newest rows, newest first.
  const t = latest.panels.feed;
  const cols = t.columns;
  t.rows = feedQueue.map((r) => cols.map((c) => r[c])).concat(t.rows).slice(0, FEED_ROWS);
  feedQueue = [];
  showSkipped();
}

function draw() {
  if (!latest) return;
  drawAsOf();
  drawCharts();
  drawTables();
  drawFeed();
}

function drawAsOf() {
  $('asof').textContent = latest.asOf ? latest.asOf.replace('T', ' ').replace('Z', '') : 'no events yet';
}

// An update: the panels in it replace those drawn, and its feed rows go on top of the feed.
function apply(u) {
  Object.assign(latest.panels, u.panels);
  latest.asOf = u.asOf;
  latest.cursor = u.cursor;
  drawAsOf();
  const changed = Object.keys(u.panels);
  if (changed.some((k) => CHART_PANELS.has(k))) drawCharts();
  if (changed.some((k) => !CHART_PANELS.has(k))) drawTables();
  if (u.feed) addFeedRows(u.feed, u.feed.skipped);
}

// ---- filters, live stream, theme -----------------------------------------------------------

function filterQuery() {
  const q = new URLSearchParams();
  ['wiki', 'bot', 'type'].forEach((k) => { const v = $(k).value.trim(); if (v) q.set(k, v); });
  return q;
}

function connect() {
  if (stream) stream.close();
  const q = filterQuery().toString();
  history.replaceState(null, '', q ? '?' + q : location.pathname);
  document.querySelectorAll('a.csv').forEach((a) => {
    const p = filterQuery();
    p.set('format', 'csv');
    a.href = '/api/' + a.dataset.api + '?' + p.toString();
  });
  stream = new EventSource('/api/live' + (q ? '?' + q : ''));
  stream.addEventListener('snapshot', (e) => {
    latest = JSON.parse(e.data);
    feedSkipped = 0;
    showSkipped();
    counted();
    draw();
  });
  stream.addEventListener('update', (e) => {
    if (!latest) return;
    apply(JSON.parse(e.data));
    counted();
  });
  stream.onerror = () => setStatus('down', 'reconnecting…');
}

function counted() {
  updates += 1;
  document.body.dataset.updates = String(updates);
  setStatus('live', 'live');
}

function setStatus(cls, text) {
  $('status').className = 'status ' + cls;
  $('status').textContent = text;
}

async function loadWikis() {
  try {
    const res = await fetch('/api/wikis');
    if (!res.ok) return;
    const t = await res.json();
    knownWikis = new Set(t.rows.map((r) => r[0]));
    $('wikilist').replaceChildren(...t.rows.map((r) => {
      const o = document.createElement('option');
      o.value = r[0];
      o.label = r[0] + ' · ' + fmt(r[1]);
      return o;
    }));
  } catch (e) {
    // The list only helps choosing; the next refresh tries again.
  }
}

function applyFilters() {
  const wiki = $('wiki').value.trim();
  if (wiki && !knownWikis.has(wiki)) {
    $('filter-error').textContent = 'unknown wiki';
    return;
  }
  $('filter-error').textContent = '';
  connect();
}

function setTheme(light) {
  document.body.classList.toggle('light', light);
  $('theme').textContent = light ? 'Dark theme' : 'Light theme';
  try { localStorage.setItem('theme', light ? 'light' : 'dark'); } catch (e) { /* private mode */ }
  Object.keys(charts).forEach((id) => { charts[id].dispose(); delete charts[id]; });
  draw();
}

function start() {
  const p = new URLSearchParams(location.search);
  ['wiki', 'bot', 'type'].forEach((k) => { if (p.get(k)) $(k).value = p.get(k); });
  let light = false;
  try { light = localStorage.getItem('theme') === 'light'; } catch (e) { /* private mode */ }
  setTheme(light);
  $('wiki').addEventListener('change', applyFilters);
  $('bot').addEventListener('change', applyFilters);
  $('type').addEventListener('change', applyFilters);
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); applyFilters(); });
  $('clear').addEventListener('click', () => {
    ['wiki', 'bot', 'type'].forEach((k) => { $(k).value = ''; });
    applyFilters();
  });
  $('theme').addEventListener('click', () => setTheme(!document.body.classList.contains('light')));
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  loadWikis().then(() => {
    const wiki = $('wiki').value.trim();
    if (wiki && knownWikis.size && !knownWikis.has(wiki)) {
      $('filter-error').textContent = 'unknown wiki: ' + wiki;
      $('wiki').value = '';
    }
    connect();
  });
  setInterval(loadWikis, 60000);
}

start();
