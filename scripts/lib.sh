# Shared by ./tlsrpt, scripts/test and .ci/run. Source it; it defines functions only.

# Prints the home of a JDK 25 or newer: $JAVA_HOME if it is one, else a JDK installed beside the
# system's default one (/usr/lib/jvm), else the one `java` on the PATH belongs to.
tlsrpt_find_jdk25() {
  local candidates=() c v
  if [ -n "${JAVA_HOME:-}" ]; then candidates+=("$JAVA_HOME"); fi
  for c in /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/*-25-* /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$("$c/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      printf '%s\n' "$c"
      return 0
    fi
  done
  cat >&2 <<'MSG'
tlsrpt: no JDK 25 found. tlsrpt needs Java 25 (a JDK, for the first build).
  Install one (for example Eclipse Temurin 25 from adoptium.net, or your distribution's openjdk-25-jdk)
  and set JAVA_HOME to it, e.g.  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
MSG
  return 1
}

TLSRPT_CHDB_VERSION=26.7.3-stable.1

# Prints the path of the embedded ClickHouse engine (chDB's libchdb.so): $TLSRPT_CHDB_LIBRARY when
# set, else a copy in the user's cache, fetched once from the npm registry (178 MB download).
tlsrpt_chdb_library() {
  if [ -n "${TLSRPT_CHDB_LIBRARY:-}" ]; then
    if [ -f "$TLSRPT_CHDB_LIBRARY" ]; then
      printf '%s\n' "$TLSRPT_CHDB_LIBRARY"
      return 0
    fi
    echo "tlsrpt: TLSRPT_CHDB_LIBRARY=$TLSRPT_CHDB_LIBRARY does not exist" >&2
    return 1
  fi
  local dir="${XDG_CACHE_HOME:-$HOME/.cache}/tlsrpt/chdb-$TLSRPT_CHDB_VERSION" tmp
  if [ ! -f "$dir/libchdb.so" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "tlsrpt: npm is needed once to fetch the embedded ClickHouse engine (apt-get install npm)," >&2
      echo "  or set TLSRPT_CHDB_LIBRARY to an installed libchdb.so (see README, 'Embedded ClickHouse')." >&2
      return 1
    fi
    echo "tlsrpt: fetching the embedded ClickHouse engine (chDB $TLSRPT_CHDB_VERSION, 178 MB, once) into $dir ..." >&2
    tmp="$(mktemp -d)"
    if ! (cd "$tmp" && npm pack --silent "@chdb/lib-linux-x64-gnu@$TLSRPT_CHDB_VERSION" >/dev/null && tar xzf ./*.tgz); then
      rm -rf "$tmp"
      echo "tlsrpt: could not fetch @chdb/lib-linux-x64-gnu@$TLSRPT_CHDB_VERSION from the npm registry" >&2
      return 1
    fi
    mkdir -p "$dir"
    mv "$tmp/package/libchdb.so" "$dir/libchdb.so.part" && mv "$dir/libchdb.so.part" "$dir/libchdb.so"
    rm -rf "$tmp"
  fi
  printf '%s\n' "$dir/libchdb.so"
}
