# Source this: starts ClickHouse's engine (the chdb npm package, ClickHouse 26.x as a library)
# behind chdb-http.js on a free loopback port, exports WIKI_EVENTS_CLICKHOUSE_URL for the
# ClickHouse store tests, and stops it when the sourcing shell exits. No ClickHouse server package
# can be installed on these machines (Debian's is from 2018, there is no Docker).
CHDB_VERSION=3.4.0
CHDB_DIR="${WIKI_EVENTS_CHDB_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/wiki-events/chdb-$CHDB_VERSION}"
if ! command -v npm >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -f "$CHDB_DIR/node_modules/chdb/package.json" ]; then
  mkdir -p "$CHDB_DIR"
  npm install --prefix "$CHDB_DIR" --no-audit --no-fund --loglevel=error "chdb@$CHDB_VERSION" >/dev/null
fi
CHDB_HTTP_DATA="$(mktemp -d)"
NODE_PATH="$CHDB_DIR/node_modules" node --max-http-header-size=1048576 \
  "$(dirname "${BASH_SOURCE[0]}")/chdb-http.js" "$CHDB_HTTP_DATA/db" 0 >"$CHDB_HTTP_DATA/log" 2>&1 &
CHDB_HTTP_PID=$!
trap 'kill "$CHDB_HTTP_PID" 2>/dev/null; rm -rf "$CHDB_HTTP_DATA"' EXIT
chdb_port=""
for _ in $(seq 1 120); do
  chdb_port="$(sed -n 's/^chdb-http listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$CHDB_HTTP_DATA/log")"
  [ -n "$chdb_port" ] && curl -sf "http://127.0.0.1:$chdb_port/ping" >/dev/null && break
  kill -0 "$CHDB_HTTP_PID" 2>/dev/null || break
  sleep 1
done
if [ -z "$chdb_port" ]; then
  echo "chdb-http did not start:" >&2
  cat "$CHDB_HTTP_DATA/log" >&2
  exit 1
fi
export WIKI_EVENTS_CLICKHOUSE_URL="http://default@127.0.0.1:$chdb_port/default"
echo "ClickHouse engine for tests: $WIKI_EVENTS_CLICKHOUSE_URL (chdb $CHDB_VERSION)"
