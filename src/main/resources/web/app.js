// The dashboard page: one live stream (/api/live) sends a snapshot of every panel, then updates
// with only the panels that changed and the feed rows committed since; each is drawn in place. A
// range ending in the past (from/to) is one snapshot, drawn once. The view (filters, range,
// drill-down) lives in the URL: every change is a history entry, so the back button walks back
// through ranges. Event text is written by anyone: it only ever reaches the page through
// textContent, canvas-drawn chart labels, or tooltips escaped with escapeHtml.
'use strict';

const $ = (id) => document.getElementById(id);
const NAMESPACES = {
  '-2': 'Media', '-1': 'Special', 0: 'Main', 1: 'Talk', 2: 'User', 3: 'User talk', 4: 'Project',
  5: 'Project talk', 6: 'File', 7: 'File talk', 8: 'MediaWiki', 10: 'Template', 11: 'Template talk',
  12: 'Help', 14: 'Category', 15: 'Category talk', 100: 'Portal', 118: 'Draft', 120: 'Property',
  146: 'Lexeme', 828: 'Module', 2600: 'Topic',
};
const CHART_PANELS = new Set(['timeline', 'timeline_hourly', 'top_wikis', 'heatmap', 'usual', 'types', 'namespaces']);
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const charts = {};
let knownWikis = new Set();
let latest = null;
let stream = null;
let updates = 0;
let loadId = 0;
// What the URL says: filters, a preset range or from/to, and a page or editor drill-down.
const VIEW_KEYS = ['wiki', 'bot', 'type', 'range', 'from', 'to', 'title', 'user'];
let view = {};
const RESOLUTION_MS = { minute: 60e3, hour: 3600e3, day: 86400e3 };
// The feed keeps the newest FEED_ROWS rows; rows that came faster than a frame are drawn together,
// and rows that never made it to the screen are counted, not silently lost.
const FEED_ROWS = 50;
let feedQueue = [];
let feedSkipped = 0;
// Panels an update changed that are not drawn yet, and whether their drawing is scheduled.
let panelsDue = null;
let panelsScheduled = false;

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

// An in-page link to another view (same filters and range, changed keys): a real URL, followed
// without reloading.
function viewHref(changes) {
  const v = Object.assign({}, view, changes);
  return '?' + viewQuery(v).toString();
}

function wikiCell(wiki) {
  return cell(wiki, { view: { wiki, title: null, user: null } });
}

function userCell(user) {
  return user == null ? cell('') : cell(user, { view: { user, title: null } });
}

// A page opens its drill-down; the drill-down's own rows link to the wiki.
function pageCell(r) {
  if (r.title == null) return cell('');
  return cell(r.title, { view: { wiki: r.wiki, title: r.title, user: null } });
}

function cell(text, opts = {}) {
  const td = document.createElement('td');
  if (opts.cls) td.className = opts.cls;
  if (opts.view) {
    const a = document.createElement('a');
    a.href = viewHref(opts.view);
    a.className = 'drill';
    a.textContent = text;
    a.addEventListener('click', (e) => {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
      e.preventDefault();
      navigate(Object.assign({}, view, opts.view));
    });
    td.appendChild(a);
  } else if (opts.href) {
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
    const td = cell(isRange() ? 'nothing in this range' : 'nothing in this window');
    td.colSpan = cols;
    td.className = 'empty';
    tr.appendChild(td);
    out.push(tr);
  }
  body.replaceChildren(...out);
}

/** The editor's name, tagged when a bot: the tag belongs to the editor, not to the change's type. */
function editorCell(r) {
  const td = userCell(r.user);
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
  el.textContent = (d >= 0 ? '▲ +' : '▼ ') + fmt(d) + pct +
    (isRange() ? ' vs the span before' : ' vs previous minute');
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
  const list = (Array.isArray(params) ? params : [params]).filter((p) => !p.seriesName.startsWith('_'));
  if (!list.length) return '';
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

// ---- usual levels (mean and spread per weekday-hour slot, from /api/usual) ------------------

function slotOf(ms) {
  const d = new Date(ms);
  return ((d.getUTCDay() + 6) % 7 + 1) * 100 + d.getUTCHours();
}

function usualSlots() {
  const m = new Map();
  rows('usual').forEach((r) => m.set(r.weekday * 100 + r.hour, r));
  return m;
}

// The usual events of one bucket [t, t + ms): a share of its hour, or the sum of its hours
// (spreads added as variances).
function usualAt(slots, t, ms) {
  if (ms <= 3600e3) {
    const u = slots.get(slotOf(t));
    return u ? { mean: (u.mean * ms) / 3600e3, spread: (u.spread * ms) / 3600e3 } : null;
  }
  let mean = 0;
  let variance = 0;
  let seen = false;
  for (let h = t; h < t + ms; h += 3600e3) {
    const u = slots.get(slotOf(h));
    if (u) { seen = true; mean += u.mean; variance += u.spread * u.spread; }
  }
  return seen ? { mean, spread: Math.sqrt(variance) } : null;
}

// The usual events over [from, to), hour by hour.
function usualOver(from, to) {
  const slots = usualSlots();
  let total = 0;
  let seen = false;
  for (let h = Math.floor(from / 3600e3) * 3600e3; h < to; h += 3600e3) {
    const u = slots.get(slotOf(h));
    const share = (Math.min(h + 3600e3, to) - Math.max(h, from)) / 3600e3;
    if (u) { seen = true; total += u.mean * share; }
  }
  return seen ? total : null;
}

// Three series behind the actual line: the band's floor and width (stacked, unlabelled) and the
// mean, one point per bucket of the window.
function usualSeries(win) {
  const slots = usualSlots();
  if (!slots.size || (win.end - win.start) / win.ms > 3000) return [];
  const low = [];
  const width = [];
  const mean = [];
  for (let t = Math.floor(win.start / win.ms) * win.ms; t < win.end; t += win.ms) {
    const u = usualAt(slots, t, win.ms);
    const lo = u ? Math.max(0, u.mean - u.spread) : null;
    low.push([t, lo]);
    width.push([t, u ? u.mean + u.spread - lo : null]);
    mean.push([t, u ? Math.round(u.mean * 10) / 10 : null]);
  }
  const quiet = { lineStyle: { opacity: 0 }, showSymbol: false, silent: true, z: 1 };
  return [
    Object.assign({ name: '_low', type: 'line', stack: '_usual', data: low }, quiet),
    Object.assign({ name: '_band', type: 'line', stack: '_usual', data: width,
      areaStyle: { opacity: 0.22, color: '#8a96a3' } }, quiet),
    { name: 'usual', type: 'line', data: mean, showSymbol: false, z: 2,
      lineStyle: { type: 'dashed', width: 1, color: '#8a96a3' }, itemStyle: { color: '#8a96a3' } },
  ];
}

// The time window a timeline chart spans, and its bucket.
function chartWindow(coarse) {
  if (latest.range) {
    const res = latest.range.resolution;
    const r = coarse && res !== 'day' ? 'hour' : res;
    return { start: Date.parse(latest.range.from), end: Date.parse(latest.range.to), ms: RESOLUTION_MS[r], res: r };
  }
  const end = latest.asOf ? Date.parse(latest.asOf) : Date.now();
  return coarse
    ? { start: end - 7 * 86400e3, end, ms: 3600e3, res: 'hour' }
    : { start: end - 86400e3, end, ms: 60e3, res: 'minute' };
}

function timeSeries(id, panel, series, opts = {}) {
  const data = rows(panel);
  const win = chartWindow(opts.coarse);
  const out = series.map((s) => ({
    name: s.name, type: s.type || 'line', stack: opts.stack, showSymbol: data.length < 30,
    areaStyle: opts.stack ? {} : undefined, barMaxWidth: 12, z: 3,
    data: data.map((r) => [r.time, s.value(r)]),
  }));
  const usual = opts.usual ? usualSeries(win) : [];
  chart(id).setOption(base({
    legend: { top: 0, textStyle: { fontSize: 11 },
      data: out.map((s) => s.name).concat(usual.length ? ['usual'] : []) },
    // margin: the first time label would touch the value axis' lowest label.
    xAxis: { type: 'time', axisLabel: { hideOverlap: true, margin: 14 },
      min: Math.floor(win.start / win.ms) * win.ms, max: win.end,
      splitNumber: opts.brush && !opts.coarse ? 10 : 4 },
    toolbox: { show: false },
    yAxis: { type: 'value', max: opts.max },
    brush: opts.brush ? { xAxisIndex: 0, toolbox: [], brushType: 'lineX', brushMode: 'single', transformable: false,
      brushStyle: { color: 'rgba(74,163,255,0.2)', borderColor: '#4aa3ff' } } : undefined,
    series: out.concat(usual),
  }), true);
  if (opts.brush) {
    chart(id).dispatchAction({ type: 'takeGlobalCursor', key: 'brush',
      brushOption: { brushType: 'lineX', brushMode: 'single' } });
  }
}

// Dragging across a timeline selects that range: a new view, in the URL and the history.
function wireBrush(id) {
  const c = chart(id);
  if (c.wired) return;
  c.wired = true;
  c.on('brushEnd', (p) => {
    const area = p.areas && p.areas[0];
    if (!area || !area.coordRange) return;
    const [a, b] = area.coordRange;
    const from = Math.floor(Math.min(a, b) / 60e3) * 60e3;
    const to = Math.ceil(Math.max(a, b) / 60e3) * 60e3;
    if (to - from < 60e3) return;
    navigate(Object.assign({}, view, { range: null, from: isoMinute(from), to: isoMinute(to) }));
  });
}

function isoMinute(ms) {
  return new Date(ms).toISOString().replace(':00.000Z', 'Z');
}

function drawCharts() {
  const fine = chartWindow(false).res;
  const coarse = chartWindow(true).res;
  $('minutely-title').textContent = 'Events per ' + fine;
  $('hourly-title').textContent = 'Events per ' + coarse;
  timeSeries('c-minutely', 'timeline', [{ name: 'events', value: (r) => r.events }], { usual: true, brush: true });
  timeSeries('c-hourly', 'timeline_hourly', [{ name: 'events', type: 'bar', value: (r) => r.events }],
    { usual: true, brush: true, coarse: true });
  wireBrush('c-minutely');
  wireBrush('c-hourly');
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
  const wc = chart('c-wikis');
  wc.setOption(base({
    grid: { left: 110, right: 16, top: 24, bottom: 20 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltipText, confine: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: wikis.map((r) => r.wiki), axisLabel: { width: 100, overflow: 'truncate' },
      triggerEvent: true },
    series: [
      { name: 'humans', type: 'bar', stack: 'w', data: wikis.map((r) => r.events - r.bot) },
      { name: 'bots', type: 'bar', stack: 'w', data: wikis.map((r) => r.bot) },
    ],
  }), true);
  if (!wc.wired) {
    wc.wired = true;
    // A wiki's bar or its label opens that wiki's own view.
    wc.on('click', (p) => {
      const wiki = p.componentType === 'yAxis' ? p.value : p.name;
      if (wiki) navigate(Object.assign({}, view, { wiki, title: null, user: null }));
    });
  }
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

function feedCells(r, external) {
  return [
    cell(r.time ? r.time.substring(isRange() ? 5 : 11, 19).replace('T', ' ') : '', { cls: 'time' }),
    wikiCell(r.wiki), cell(r.type),
    external ? cell(r.title, { href: diffUrl(r) }) : pageCell(r), editorCell(r),
    cell(r.bytes == null ? '' : (r.bytes > 0 ? '+' : '') + fmt(r.bytes), { cls: 'n' }),
    cell(r.comment)];
}

function usualText(id, events, usual) {
  const el = $(id);
  if (usual == null || !(usual > 0)) {
    el.textContent = '';
    return;
  }
  const x = events / usual;
  el.textContent = (x >= 10 ? Math.round(x) : x.toFixed(1)) + ' × usual';
  el.title = 'usual for these weekday-hours: ' + fmt(Math.round(usual * 10) / 10) + ' events';
  el.className = 'usual ' + (x >= 3 ? 'high' : '');
}

function drawTables() {
  const k = rows('kpis')[0] || {};
  $('kpi-events').textContent = fmt(k.events);
  $('kpi-editors').textContent = fmt(k.editors);
  $('kpi-wikis').textContent = fmt(k.wikis);
  $('kpi-rate').textContent = k.events_per_second == null ? '—'
    : Number(k.events_per_second).toFixed(isRange() ? 2 : 1);
  delta('kpi-events-delta', k.events, k.events_before);
  delta('kpi-editors-delta', k.editors, k.editors_before);
  delta('kpi-wikis-delta', k.wikis, k.wikis_before);
  let usual = null;
  if (latest.range) {
    usual = usualOver(Date.parse(latest.range.from), Date.parse(latest.range.to));
  } else if (latest.asOf) {
    const end = Date.parse(latest.asOf);
    usual = usualOver(end - 60e3, end);
  }
  usualText('kpi-usual', k.events, usual);
  usualText('kpi-rate-usual', k.events, usual);

  fillTable('t-spikes', rows('spikes'), (r) => [
    wikiCell(r.wiki), cell(fmt(r.events), { cls: 'n' }), cell(fmt(r.usual), { cls: 'n' }),
    cell('×' + r.factor, { cls: 'n' })]);
  fillTable('t-page-spikes', rows('page_spikes'), (r) => [
    pageCell(r), wikiCell(r.wiki), cell(fmt(r.events), { cls: 'n' }),
    cell('×' + r.factor, { cls: 'n' })]);
  fillTable('t-alerts', rows('alerts'), (r) => [
    cell(r.time ? String(r.time).substring(5, 19).replace('T', ' ') : '', { cls: 'time' }),
    cell(r.rule), cell(r.state, { cls: r.state === 'firing' ? 'firing' : 'cleared' }), cell(r.message)]);
  fillTable('t-pages', rows('top_pages'), (r) => [
    pageCell(r), wikiCell(r.wiki), cell(fmt(r.events), { cls: 'n' })]);
  const editors = rows('editors');
  const who = (r) => [userCell(r.user), cell(fmt(r.events), { cls: 'n' }), cell(fmt(r.wikis), { cls: 'n' })];
  fillTable('t-editors', editors.filter((r) => !r.bot), who);
  fillTable('t-bots', editors.filter((r) => r.bot), who);
  fillTable('t-new', rows('new_pages'), (r) => [
    cell(hhmmss(r.time), { cls: 'time' }), pageCell(r), wikiCell(r.wiki), userCell(r.user)]);
}

function rangeText(r) {
  const f = r.from.replace('T', ' ').replace(':00Z', '');
  let t = r.to.replace('T', ' ').replace(':00Z', '');
  if (t.substring(0, 10) === f.substring(0, 10)) t = t.substring(11);
  return f + ' → ' + t + ' UTC';
}

const PRESET_NAMES = { '1h': 'last hour', '24h': 'last 24 h', '7d': 'last 7 days', '30d': 'last 30 days', all: 'all' };

function drawRange() {
  const r = latest.range;
  document.querySelectorAll('.win').forEach((el) => {
    if (el.dataset.live == null) el.dataset.live = el.textContent;
    const res = el.dataset.coarse && r && r.resolution !== 'day' ? 'hour' : r && r.resolution;
    el.textContent = r ? rangeText(r) + ' · per ' + res : el.dataset.live;
  });
  const label = $('range-label');
  if (!r) {
    label.textContent = 'Live · each card shows its own window, ending at the newest event';
    label.className = 'range-label';
  } else if (r.fixed) {
    label.textContent = 'Fixed view (no live updates): ' + rangeText(r) + ' · per ' + r.resolution;
    label.className = 'range-label fixed';
  } else {
    label.textContent = 'Live · ' + (PRESET_NAMES[r.preset] || 'range') + ': ' + rangeText(r) +
      ' · per ' + r.resolution;
    label.className = 'range-label';
  }
  const note = latest.silver && latest.silver.note;
  $('note').hidden = !note;
  $('note').textContent = note || '';
  document.body.dataset.range = r ? r.from + '/' + r.to : '';
}

function drawFeed() {
  feedQueue = [];
  fillTable('t-feed', rows('feed'), (r) => feedCells(r, false));
}

function showSkipped() {
  $('feed-skipped').textContent = feedSkipped
    ? fmt(feedSkipped) + ' changes came too fast to show' : '';
}

// New rows (newest first) go on top of the feed at once (not at the next frame: a busy page's
// frames come late); of more than FEED_ROWS in one update only the newest are drawn and the rest
// are counted as skipped.
function addFeedRows(t, skipped) {
  const list = t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
  feedQueue = list.concat(feedQueue);
  feedSkipped += skipped || 0;
  if (feedQueue.length > FEED_ROWS) {
    feedSkipped += feedQueue.length - FEED_ROWS;
    feedQueue.length = FEED_ROWS;
  }
  flushFeed();
}

function flushFeed() {
  if (!feedQueue.length) return;
  const body = $('t-feed').tBodies[0];
  const empty = body.querySelector('td.empty');
  if (empty) empty.parentNode.remove();
  const fresh = feedQueue.map((r) => {
    const tr = document.createElement('tr');
    feedCells(r, false).forEach((td) => tr.appendChild(td));
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
  drawRange();
  drawCharts();
  drawTables();
  drawFeed();
}

function drawAsOf() {
  $('asof').textContent = latest.asOf ? latest.asOf.replace('T', ' ').replace('Z', '') : 'no events yet';
}

// An update: its feed rows go on top of the feed at once; the panels in it replace those drawn
// once the browser has painted the rows (drawing the charts takes far longer than a row, and
// several updates' panels are drawn together).
function apply(u) {
  // Feed rows and panels come in updates of their own, read apart: the as-of time only moves on.
  if (u.asOf && (!latest.asOf || u.asOf > latest.asOf)) latest.asOf = u.asOf;
  if (u.cursor != null) latest.cursor = u.cursor;
  drawAsOf();
  if (u.feed) addFeedRows(u.feed, u.feed.skipped);
  const changed = Object.keys(u.panels || {});
  if (!changed.length && !u.range) return;
  Object.assign(latest.panels, u.panels);
  // A preset range moves with the newest event: its fields come with the panels read for it.
  if (u.range) {
    latest.range = u.range;
    latest.silver = u.silver;
  }
  panelsDue = panelsDue || new Set();
  changed.forEach((k) => panelsDue.add(k));
  if (!panelsScheduled) {
    panelsScheduled = true;
    // After the next frame is painted, not inside it.
    requestAnimationFrame(() => setTimeout(drawDue, 0));
  }
}

function drawDue() {
  panelsScheduled = false;
  const due = panelsDue;
  panelsDue = null;
  if (!due || !latest) return;
  drawAsOf();
  drawRange();
  const changed = [...due];
  if (changed.some((k) => CHART_PANELS.has(k))) drawCharts();
  if (changed.some((k) => !CHART_PANELS.has(k))) drawTables();
  if (due.has('feed')) drawFeed();
}

// ---- the view: URL, filters, range, drill-down, live stream --------------------------------

function readView() {
  const p = new URLSearchParams(location.search);
  const v = {};
  VIEW_KEYS.forEach((k) => { if (p.get(k)) v[k] = p.get(k); });
  return v;
}

function viewQuery(v, keys = VIEW_KEYS) {
  const q = new URLSearchParams();
  keys.forEach((k) => { if (v[k] != null && v[k] !== '') q.set(k, v[k]); });
  if (q.has('from')) q.delete('range');
  return q;
}

function isRange() {
  return !!(view.range || view.from);
}

// A new view: a history entry, so the back button returns to the one before.
function navigate(v) {
  $('filter-error').textContent = '';
  view = readViewFrom(viewQuery(v));
  const q = viewQuery(view).toString();
  history.pushState(null, '', q ? '?' + q : location.pathname);
  syncControls();
  load();
}

function readViewFrom(q) {
  const v = {};
  VIEW_KEYS.forEach((k) => { if (q.get(k)) v[k] = q.get(k); });
  return v;
}

function syncControls() {
  ['wiki', 'bot', 'type'].forEach((k) => { $(k).value = view[k] || ''; });
  $('range').value = view.from ? 'custom' : (view.range || '');
  $('custom').hidden = $('range').value !== 'custom';
  $('from').value = view.from || '';
  $('to').value = view.to || '';
}

// CSV of what is shown: the filters, and the range the snapshot resolved (a preset's from/to).
function csvLinks() {
  document.querySelectorAll('a.csv[data-api]').forEach((a) => {
    const p = viewQuery(view, ['wiki', 'bot', 'type']);
    if (latest && latest.range) {
      p.set('from', latest.range.from);
      p.set('to', latest.range.to);
    }
    p.set('format', 'csv');
    a.href = '/api/' + a.dataset.api + '?' + p.toString();
  });
}

function show(body) {
  latest = body;
  updates += 1;
  document.body.dataset.updates = String(updates);
  csvLinks();
  draw();
}

function load() {
  const id = ++loadId;
  if (stream) { stream.close(); stream = null; }
  const q = viewQuery(view, ['wiki', 'bot', 'type', 'range', 'from', 'to']);
  if (view.from) {
    setStatus('', 'loading…');
    fetch('/api/snapshot?' + q).then(async (res) => {
      const body = await res.json();
      if (id !== loadId) return;
      if (!res.ok) {
        $('filter-error').textContent = body.error || 'cannot show this range';
        setStatus('down', 'bad range');
        return;
      }
      show(body);
      if (body.range.fixed) setStatus('fixed', 'fixed view');
      else openStream(q, id);
    }).catch(() => { if (id === loadId) setStatus('down', 'cannot load'); });
  } else {
    openStream(q, id);
  }
  loadDrill(id);
}

function openStream(q, id) {
  stream = new EventSource('/api/live' + (q.toString() ? '?' + q : ''));
  stream.addEventListener('snapshot', (e) => {
    if (id !== loadId) return;
    feedSkipped = 0;
    showSkipped();
    show(JSON.parse(e.data));
    pageLive = true;
    showStatus();
  });
  stream.addEventListener('update', (e) => {
    if (id !== loadId || !latest) return;
    apply(JSON.parse(e.data));
    counted();
  });
  stream.onerror = () => { pageLive = false; showStatus(); };
}

// A page's or an editor's changes in the range (from silver), with links to the wiki.
function loadDrill(id) {
  const on = !!(view.title || view.user);
  $('drill').hidden = !on;
  if (!on) return;
  const q = viewQuery(view, ['wiki', 'bot', 'type', 'range', 'from', 'to', 'title', 'user']);
  if (!q.has('range') && !q.has('from')) q.set('range', '24h');
  $('drill-title').textContent = view.title ? 'Changes of ' + view.title : 'Changes by ' + view.user;
  $('drill-scope').textContent = (view.wiki || 'all wikis') + ' · ' +
    (view.from ? view.from + ' → ' + view.to : PRESET_NAMES[q.get('range')] || q.get('range'));
  $('drill-close').href = viewHref({ title: null, user: null });
  $('drill-wiki').removeAttribute('href');
  fetch('/api/changes?' + q).then(async (res) => {
    const body = await res.json();
    if (id !== loadId) return;
    if (!res.ok) {
      $('filter-error').textContent = body.error || 'cannot show these changes';
      return;
    }
    const list = body.rows.map((r) => Object.fromEntries(body.columns.map((c, i) => [c, r[i]])));
    fillTable('t-drill', list, (r) => feedCells(r, true));
    const first = list[0];
    const href = !first ? null : view.title ? pageUrl(first)
      : wikiUrl(first.server_name, { title: 'Special:Contributions/' + view.user });
    if (href) $('drill-wiki').href = href;
    document.body.dataset.drill = String(list.length);
  }).catch(() => { /* the next view tries again */ });
}

function counted() {
  updates += 1;
  document.body.dataset.updates = String(updates);
  pageLive = true;
  showStatus();
}

// The dot says two things in words: whether this page gets updates, and what ingestion is doing
// (from /health): feed connected, retrying (since when, why) or refused; a replay finished.
let pageLive = false;
let ingest = null;

function showStatus() {
  if (!pageLive) { setStatus('down', 'page reconnecting…', ''); return; }
  if (!ingest) { setStatus('live', 'live', ''); return; }
  const src = ingest.source;
  const since = (t) => (t ? ' since ' + t.slice(11, 16) + ' UTC' : '');
  if (ingest.state === 'failed') {
    setStatus('down', 'live · loading failed', ingest.error || '');
  } else if (src && src.state === 'refused') {
    setStatus('down', 'live · feed refused', src.lastError || '');
  } else if (src && (src.state === 'retrying' || src.healthy === false)) {
    setStatus(src.healthy === false ? 'down' : 'warn',
      'live · feed retrying' + since(src.failingSince || src.since), src.lastError || '');
  } else if (src && src.state === 'connected') {
    setStatus('live', 'live · feed connected', '');
  } else if (ingest.state === 'finished') {
    setStatus('live', 'live · replay finished', '');
  } else {
    setStatus('live', 'live', '');
  }
}

async function pollHealth() {
  try {
    const res = await fetch('/health');
    const h = await res.json();
    ingest = h.ingest || null;
  } catch (e) {
    ingest = null;
  }
  showStatus();
}

function setStatus(cls, text, title) {
  $('status').className = 'status ' + cls;
  $('status').textContent = text;
  $('status').title = title || 'live stream and ingestion state';
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

function applyControls() {
  const wiki = $('wiki').value.trim();
  if (wiki && !knownWikis.has(wiki)) {
    $('filter-error').textContent = 'unknown wiki';
    return;
  }
  $('filter-error').textContent = '';
  const v = Object.assign({}, view, {
    wiki, bot: $('bot').value, type: $('type').value, range: null, from: null, to: null,
  });
  if (!wiki) { v.title = null; }
  const r = $('range').value;
  if (r === 'custom') {
    $('custom').hidden = false;
    const from = $('from').value.trim();
    const to = $('to').value.trim();
    if (!from || !to) return; // waits for both ends
    v.from = from;
    v.to = to;
  } else {
    v.range = r;
  }
  navigate(v);
}

function setTheme(light) {
  document.body.classList.toggle('light', light);
  $('theme').textContent = light ? 'Dark theme' : 'Light theme';
  try { localStorage.setItem('theme', light ? 'light' : 'dark'); } catch (e) { /* private mode */ }
  Object.keys(charts).forEach((id) => { charts[id].dispose(); delete charts[id]; });
  draw();
}

function start() {
  view = readView();
  syncControls();
  let light = false;
  try { light = localStorage.getItem('theme') === 'light'; } catch (e) { /* private mode */ }
  setTheme(light);
  $('wiki').addEventListener('change', applyControls);
  $('bot').addEventListener('change', applyControls);
  $('type').addEventListener('change', applyControls);
  $('range').addEventListener('change', () => {
    if ($('range').value === 'custom') {
      $('custom').hidden = false;
      if (latest && latest.range && !$('from').value) {
        $('from').value = isoMinute(Date.parse(latest.range.from));
        $('to').value = isoMinute(Date.parse(latest.range.to));
      }
      return;
    }
    applyControls();
  });
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); applyControls(); });
  $('clear').addEventListener('click', () => navigate({}));
  $('drill-close').addEventListener('click', (e) => {
    e.preventDefault();
    navigate(Object.assign({}, view, { title: null, user: null }));
  });
  window.addEventListener('popstate', () => {
    view = readView();
    syncControls();
    load();
  });
  $('theme').addEventListener('click', () => setTheme(!document.body.classList.contains('light')));
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  loadWikis().then(() => {
    if (view.wiki && knownWikis.size && !knownWikis.has(view.wiki)) {
      $('filter-error').textContent = 'unknown wiki: ' + view.wiki;
      delete view.wiki;
      syncControls();
      history.replaceState(null, '', '?' + viewQuery(view).toString());
    }
    load();
  });
  setInterval(loadWikis, 60000);
  pollHealth();
  setInterval(pollHealth, 5000);
}

start();
