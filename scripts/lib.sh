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
