#!/usr/bin/env bash
# How store.duckdb.gz and store.duckdb.bronze/ were made, once, with the release before layout versions (duckdb_jdbc 1.4.4.0):
# a store of that release, written by DuckDB 1.4.4, that the tests open with today's program.
#   $1: the classpath of that release (target/classes plus its dependencies)
#   $2: the duckdb_jdbc-1.4.4.0.jar
# The input is the first 300 events of the multiwiki sample plus one malformed line (so
# quarantine holds a row); finish.sql then sets a resume point as a live run would have.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
work=$(mktemp -d)
{ zcat "$root/samples/recentchange-2026-05-05-multiwiki.ndjson.gz" | head -n 300 || true; echo '{"not": "an event"'; } \
  > "$work/input.ndjson"
mkdir -p "$work/store"
java -cp "$1" org.wikievents.Main replay "$work/input.ndjson" --db "$work/store/store.duckdb" --raw-retention 0
java -cp "$2" "$here/Finish.java" "$work/store/store.duckdb" "$here/finish.sql"
gzip -9 -c "$work/store/store.duckdb" > "$here/store.duckdb.gz"
rm -rf "$here/store.duckdb.bronze" && cp -r "$work/store/store.duckdb.bronze" "$here/"
rm -rf "$work"
