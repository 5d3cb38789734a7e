#!/usr/bin/env bash
# Runs one reliability scenario (docs/reliability.md) at full size and prints its verdict. Each scenario is an
# integration test; this script is the one-word way to run one of them alone, through the same Maven build that
# starts the integration-test server, so it needs what `./mvnw -Pfaults verify` needs: PostgreSQL and Redis on
# loopback, and pg_ctl and redis-server on the machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

declare -A scenarios=(
    [server-crash]=ServerCrashIT
    [database-outage]=DatabaseOutageIT
    [broker-outage]=RedisOutageIT
    [consumer-crash]=ConsumerCrashIT
    [instance-loss]=InstanceLossIT
    [overload]=OverloadIT
    [hostile-input]=HostileInputIT
    [stalled-consumer]=StalledConsumerIT
    [dead-letter-race]=DeadLetterRaceIT
    [schedule]=FaultScheduleIT
    [standby-failover]=StandbyFailoverIT
)

usage() {
    cat <<EOF
Usage: ${0##*/} <scenario> [maven options]

Scenarios: ${!scenarios[*]}

Runs the scenario's test at full size (the faults profile: 200,000 events per producer run, 10,000 generated bad
requests) and prints its verdict, also kept in target/reliability/verdicts.md. Maven options go to the build, e.g.
-Dit.faults.events=20000 -Dit.faults.rate=2000 for the smaller size ./mvnw verify uses.
EOF
}

[[ $# -ge 1 && -n ${scenarios[$1]:-} ]] || { usage >&2; exit 2; }
test_class=${scenarios[$1]}
shift

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# The unit tests are skipped (no test matches "none"); the failsafe selection replaces the profile's includes.
./mvnw -B -Pfaults verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test="$test_class" -Dfailsafe.failIfNoSpecifiedTests=false "$@" >"$log" 2>&1 || status=$?
grep -E '^VERDICT |^ROUND |Tests run:|FAIL' "$log" || true
if [[ $status -ne 0 ]]; then
    echo "${0##*/}: the build failed (exit $status); its last lines:" >&2
    tail -n 40 "$log" >&2
fi
exit "$status"
