# Sourced by bin/ferry, ./mvnw and .ci/run: makes JAVA_HOME point at a JDK 21 or newer.
# ferry_select_jdk: JAVA_HOME if it is 21+, then the `java` on PATH if it is 21+, then the newest 21+
# JDK in the usual install folders (ferry_select_jdk_newest). When none is found it leaves JAVA_HOME
# alone and returns 1, so the caller decides how to fail.

ferry_java_major() {
  # The JDK's release file names its version without starting a JVM, which costs a fifth of a second or more
  # on every start (JAVA_VERSION="21.0.4" -> 21); `java -version` where there is none.
  # "openjdk version "21.0.4" ..." -> 21, "1.8.0_402" -> 1
  ferry_java_bin=$1
  case "$ferry_java_bin" in */*) ;; *) ferry_java_bin=$(command -v "$ferry_java_bin" 2>/dev/null || true) ;; esac
  if [ -n "$ferry_java_bin" ]; then
    ferry_java_bin=$(readlink -f "$ferry_java_bin" 2>/dev/null || printf '%s' "$ferry_java_bin")
    ferry_release="$(dirname "$(dirname "$ferry_java_bin")")/release"
    if [ -f "$ferry_release" ]; then
      ferry_release_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$ferry_release" | head -n 1)
      if [ -n "$ferry_release_major" ]; then
        echo "$ferry_release_major"
        return 0
      fi
    fi
  fi
  "$1" -version 2>&1 | sed -n '1s/^[^"]*"\([0-9]*\).*/\1/p'
}

ferry_select_jdk_newest() {
  best_major=0
  best_home=
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/java" ] || continue
    major=$(ferry_java_major "$home/bin/java")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best_major=$major
      best_home=$home
    fi
  done
  [ -n "$best_home" ] || return 1
  JAVA_HOME=$best_home
  export JAVA_HOME
}

ferry_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(ferry_java_major "$JAVA_HOME/bin/java")
    [ "${major:-0}" -ge 21 ] 2>/dev/null && return 0
  fi
  if [ -z "${JAVA_HOME:-}" ] && command -v java >/dev/null 2>&1; then
    major=$(ferry_java_major java)
    [ "${major:-0}" -ge 21 ] 2>/dev/null && return 0
  fi
  ferry_select_jdk_newest
}
