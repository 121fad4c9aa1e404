// A test stand-in for a ClickHouse server: the ClickHouse engine itself (chDB, the engine of
// `clickhouse local` as a library, from npm) behind the few parts of the HTTP interface that the
// Java client uses. It is not the server: no users or grants, no replication, one query at a time.
// Usage: node chdb-http.js DATA_DIR [PORT]   (127.0.0.1 only; port 0 or none: any free one)
// CHDB_HTTP_EXIT_WITH_STDIN=1: exit when stdin closes.
'use strict';
const http = require('http');
const { Session } = require('chdb');

const [dataDir, port] = [process.argv[2], Number(process.argv[3] || 0)];
const session = new Session(dataDir);
const NOT_SETTINGS = new Set([
  'query', 'database', 'query_id', 'session_id', 'session_timeout', 'session_check', 'compress',
  'decompress', 'enable_http_compression', 'default_format', 'user', 'password', 'role',
  'wait_end_of_query', 'client_protocol_version',
]);
let queue = Promise.resolve();

function literal(v) {
  return "'" + String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

async function settingValue(name) {
  const r = await session.queryBindAsync(
    'SELECT value FROM system.settings WHERE name = {n:String}', { n: name }, { format: 'TSVRaw' });
  const v = r.text().replace(/\n$/, '');
  return v;
}

async function run(url, headers, body) {
  const p = url.searchParams;
  const params = {};
  const settings = {};
  for (const [k, v] of p) {
    if (k.startsWith('param_')) params[k.slice(6)] = v;
    else if (!NOT_SETTINGS.has(k)) settings[k] = v;
  }
  const text = body.toString('utf8');
  const sql = p.has('query') ? p.get('query') + (text.length ? '\n' + text : '') : text;
  const format = headers['x-clickhouse-format'] || p.get('default_format') || 'TabSeparated';
  const database = headers['x-clickhouse-database'] || p.get('database');
  if (database) await session.queryAsync('USE ' + '`' + database.replace(/`/g, '') + '`');
  const saved = {};
  for (const [k, v] of Object.entries(settings)) {
    saved[k] = await settingValue(k);
    await session.queryAsync('SET ' + k.replace(/[^A-Za-z0-9_]/g, '') + ' = ' + literal(v));
  }
  try {
    const started = process.hrtime.bigint();
    const r = Object.keys(params).length
      ? await session.queryBindAsync(sql, params, { format })
      : await session.queryAsync(sql, { format });
    return { format, bytes: Buffer.from(r.bytes()), r, elapsed: process.hrtime.bigint() - started };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      await session.queryAsync('SET ' + k.replace(/[^A-Za-z0-9_]/g, '') + ' = ' + literal(v));
    }
  }
}

function errorCode(message) {
  const m = /Code: (\d+)/.exec(message);
  return m ? m[1] : '1002';
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (url.pathname === '/ping' || (req.method === 'GET' && url.pathname === '/' && !url.searchParams.has('query'))) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('Ok.\n');
      return;
    }
    const queryId = url.searchParams.get('query_id') || req.headers['x-clickhouse-query-id'] || String(Date.now());
    const job = queue.then(() => run(url, req.headers, Buffer.concat(chunks)));
    queue = job.catch(() => {});
    job.then(
      ({ format, bytes, r, elapsed }) => {
        res.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'X-ClickHouse-Format': format,
          'X-ClickHouse-Query-Id': queryId,
          'X-ClickHouse-Timezone': 'UTC',
          'X-ClickHouse-Server-Display-Name': 'chdb-http',
          'X-ClickHouse-Summary': JSON.stringify({
            read_rows: String(r.rowsRead || 0), read_bytes: String(r.bytesRead || 0),
            written_rows: '0', written_bytes: '0', total_rows_to_read: '0',
            result_rows: '0', result_bytes: String(bytes.length), elapsed_ns: String(elapsed),
          }),
        });
        res.end(bytes);
      },
      (e) => {
        const message = String(e && e.message ? e.message : e);
        res.writeHead(500, {
          'Content-Type': 'text/plain; charset=UTF-8',
          'X-ClickHouse-Exception-Code': errorCode(message),
          'X-ClickHouse-Query-Id': queryId,
        });
        res.end(message + '\n');
      });
  });
});
server.listen(port, '127.0.0.1', () => console.log('chdb-http listening on 127.0.0.1:' + server.address().port));
function stop() { server.close(); session.close(); process.exit(0); }
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Started by the test run (TestServices): go when it goes, even if it was killed.
if (process.env.CHDB_HTTP_EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
