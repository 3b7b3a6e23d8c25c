# Shared by bin/cartero and bin/test: locate the project, a JDK >= 25 and Maven.
CARTERO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARTERO_ROOT

java_feature_version() { # prints the feature version (17, 25, ...) of the JDK in $1, or nothing
  local release="$1/release" v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  else
    v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  echo "$v"
}

cartero_find_java() {
  local candidate best="" best_version=0 v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(java_feature_version "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then best="$JAVA_HOME"; best_version=$v; fi
  fi
  if [ -z "$best" ]; then
    for candidate in /usr/lib/jvm/*; do
      [ -d "$candidate" ] || continue
      v=$(java_feature_version "$candidate")
      if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$best_version" ]; then best="$candidate"; best_version=$v; fi
    done
  fi
  if [ -z "$best" ]; then
    echo "cartero: needs a JDK 25 or newer. Install one (e.g. 'apt-get install openjdk-25-jdk', or Temurin 25" >&2
    echo "         under /usr/lib/jvm) or point JAVA_HOME at it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  JAVA="$best/bin/java"
}

cartero_find_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "cartero: needs Apache Maven 3.8 or newer on PATH ('apt-get install maven')." >&2
    exit 1
  fi
}

cartero_jar_is_stale() { # true when $1 is missing or older than any source or build file
  local jar="$1"
  [ -f "$jar" ] || return 0
  [ -n "$(find "$CARTERO_ROOT" -path "$CARTERO_ROOT/cartero-demo" -prune -o \
      \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]
}
