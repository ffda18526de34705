#!/usr/bin/env bash
# Unit and API tests on the embedded database, then again on PostgreSQL when TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== server tests on PGlite =="
TEST_DB_KIND=pglite npx vitest run
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== server tests on PostgreSQL ($TEST_DATABASE_URL) =="
  TEST_DB_KIND=postgres npx vitest run
else
  echo "(TEST_DATABASE_URL not set: PostgreSQL pass skipped)"
fi
