#!/usr/bin/env bash
# For the benchmark's PostgreSQL modes (bench/ferry-bench, --pg-host): makes sure PostgreSQL answers on 127.0.0.1:5432 with trust authentication for user postgres from
# loopback. The tests do not need it: they start their own (TestPostgres).
# Does nothing when something already answers there. Otherwise, on Debian as root: installs the
# postgresql package if needed, creates and starts the cluster, and lets user postgres in from
# 127.0.0.1 and ::1 without a password. Safe to run again.
set -euo pipefail

ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h 127.0.0.1 -p 5432
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}

if ready; then
  echo ".ci/postgres.sh: PostgreSQL answers on 127.0.0.1:5432"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo ".ci/postgres.sh: PostgreSQL does not answer on 127.0.0.1:5432 and this is not root, so it cannot be" \
    "installed here; start one with trust authentication for user postgres on 127.0.0.1 (or set" \
    "FERRY_TEST_PG_HOST/FERRY_TEST_PG_USER/FERRY_TEST_PG_PASSWORD for the tests)." >&2
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
  echo ".ci/postgres.sh: installing PostgreSQL (apt-get install postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

# shellcheck disable=SC2012 # version folders are plain numbers
version="$( (ls /etc/postgresql 2>/dev/null || true) | sort -V | tail -n 1)"
if [ -z "$version" ]; then
  # The package normally makes the cluster; where its post-install step did not, make it here.
  # shellcheck disable=SC2012
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  pg_createcluster "$version" main
fi
hba="/etc/postgresql/$version/main/pg_hba.conf"
if ! grep -q "ferry-ci" "$hba"; then
  # First match wins in pg_hba.conf: these lines go on top.
  sed -i '1i host all postgres 127.0.0.1/32 trust # ferry-ci: the tests connect as postgres without a password\nhost all postgres ::1/128 trust # ferry-ci' "$hba"
fi
pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main reload

for _ in $(seq 1 60); do
  if ready; then
    echo ".ci/postgres.sh: PostgreSQL $version started on 127.0.0.1:5432"
    exit 0
  fi
  sleep 0.5
done
echo ".ci/postgres.sh: PostgreSQL $version did not come up on 127.0.0.1:5432; see /var/log/postgresql/" >&2
exit 1
