#!/usr/bin/env bash
# SMTP benchmark: Cartero against Debian's Postfix, same load, same run (see Bench.java).
# Needs root (Postfix's private instance), postfix installed, JDK 25 and Maven. Extra arguments
# go to the benchmark, e.g.: bench/smtp-bench.sh --messages 10000 --connections 8,32
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
# shellcheck source=bin/lib.sh
source "$here/../bin/lib.sh"
cartero_find_java
cartero_find_maven
cd "$CARTERO_ROOT"
mvn -q -B -ntp -DskipTests package -pl server -am
mvn -q -B -ntp -DskipTests compile -pl bench -am
exec "$JAVA" -cp bench/target/classes org.cartero.bench.Bench --jar server/target/cartero.jar "$@"
