#!/usr/bin/env bash
# bench/pipeline-cpu.sh - CPU per message of the protection pipeline alone, in process, one thread, after warm-up
# (sluice.core.filter.PipelineCpuBench in core's test sources: the message bench/relay.sh sends, an in-memory DNS).
# The relay benchmark measures the whole server, JIT compilation during its timed phase included; this measures the
# pipeline's steady state, to compare two versions of the filters: run it alternately on both, several times.
#
# Usage: bench/pipeline-cpu.sh [java options], e.g. -Dpasses=9 -Dn=2000 -Dwarm=3 -Dthrash=8 (MiB walked between
#        messages, untimed, as the server's other work evicts the caches), -XX:StartFlightRecording=filename=p.jfr
# Output: the verdict of the message, CPU ms/msg (median, least and most of the passes), bytes allocated per message.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
cd "$repo"
./mvnw -q -B -o -pl core -am test-compile >&2
deps=$(mktemp)
trap 'rm -f "$deps"' EXIT
./mvnw -q -B -o -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$deps" >&2
# the reactor's own modules from their target directories, not from a local repository
cp="core/target/test-classes:core/target/classes:smtp/target/classes:smtp/target/test-classes:$(tr ':' '\n' <"$deps" | grep -v '/sluice-' | paste -sd:)"
exec "$JAVA_HOME/bin/java" "$@" -cp "$cp" sluice.core.filter.PipelineCpuBench
