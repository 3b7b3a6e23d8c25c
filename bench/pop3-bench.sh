#!/usr/bin/env bash
# POP3 download benchmark, Cartero beside Debian's Dovecot (see bench/src/main/java/org/cartero/bench/pop3/Pop3Bench.java).
# Usage: bench/pop3-bench.sh [--clients 1,8,32] [--messages 1000] [--size 4096] [--repeat 3] [--no-dovecot]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=bin/lib.sh
source "$here/bin/lib.sh"
cartero_find_java
cartero_find_maven
cd "$CARTERO_ROOT"
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
exec "$JAVA" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.cartero.bench.pop3.Pop3Bench "$@"
