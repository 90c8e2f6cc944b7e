# Sourced by .ci/run. PostgreSQL as the project's machines have it: Debian's package, cluster
# "main" on 127.0.0.1:5432, trust auth on loopback and a database "test". Installs and starts it
# where missing; `postgres_storage_pass` runs the storage tests again on a database of its own.
POSTGRES_URL=postgres://postgres@127.0.0.1:5432

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "::: apt-get install postgresql"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >/dev/null ||
      { echo "::: warning: could not install postgresql"; return 1; }
  fi
  local version hba
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if [ -w "$hba" ] && ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload >/dev/null 2>&1
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || return 1
  fi
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  psql "$POSTGRES_URL/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 ||
    psql "$POSTGRES_URL/postgres" -qc "CREATE DATABASE test" || return 1
  echo "::: postgresql $version: running on 127.0.0.1:5432"
}

# The storage tests (src/storage/) once more, each test on a fresh schema of a database made for
# this run and dropped after it.
postgres_storage_pass() {
  local db="ci_$$" rc
  psql "$POSTGRES_URL/postgres" -qc "CREATE DATABASE $db" || return 1
  TEST_DATABASE_URL="$POSTGRES_URL/$db" npx -y deno@2 test -q -A --parallel src/storage/
  rc=$?
  psql "$POSTGRES_URL/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  return $rc
}
