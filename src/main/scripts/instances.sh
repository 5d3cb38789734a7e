#!/usr/bin/env bash
# Runs several local aggregator instances side by side, each a Liberty server copied from one template server, all
# sharing the caller's database (and broker) settings. See usage() below, and docs/operations.md.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project_dir=$(cd "$script_dir/../../.." && pwd)   # this file lives in <project>/src/main/scripts

WLP_DIR=${WLP_DIR:-$project_dir/target/liberty/wlp}
TEMPLATE=${TEMPLATE:-aggregator}
BASE_HTTP_PORT=${BASE_HTTP_PORT:-9080}
BASE_HTTPS_PORT=${BASE_HTTPS_PORT:-9443}
READY_TIMEOUT=${READY_TIMEOUT:-120}
servers_dir=$WLP_DIR/usr/servers
template_dir=$servers_dir/$TEMPLATE

# Application settings handed to every instance: whatever the caller exports with these names.
passed_env_pattern='^(APP|DB|REDIS|BROKER|INGEST|PUBLISH|PUBLISHER|SCHEMA|METRICS|API|CLOUDEVENTS|CONFLICTS|IDEMPOTENCY|EVENTS|DEDUP|RETENTION|SUBSCRIPTIONS|OTEL)_[A-Za-z0-9_]*$|^AGGREGATOR_(URL|API_KEY)$'
# Creates server "aggregator" with the application (the Liberty plugin is skipped everywhere but the aggregator module).
create_cmd='./mvnw -DskipTests package liberty:create liberty:install-feature liberty:deploy'
# What an instance produces at run time; never copied from the template, kept across restarts of an instance.
runtime_dirs=(logs workarea tranlog data temp)

usage() {
    cat <<EOF
Usage: ${0##*/} <command> [args]

Runs local aggregator instances 1..N as Liberty servers "\$TEMPLATE-<n>", copies of the template server,
instance n on HTTP port BASE_HTTP_PORT+n and HTTPS port BASE_HTTPS_PORT+n.

Commands:
  start <count>        make sure instances 1..count run (starting those that do not) and answer
                       200 on /health/ready within READY_TIMEOUT seconds each
  start-one <n>        the same for instance n alone
  stop <count>|all     stop instances 1..count, or every "\$TEMPLATE-<digits>" server
  stop-one <n>...      stop the instances named
  kill <n>             kill -9 instance n's JVM (for fault tests); start-one brings it back
  pause <n>, resume <n>
                       SIGSTOP / SIGCONT instance n's JVM: a stall as long as a GC pause or a frozen VM
  status               every "\$TEMPLATE-<digits>" server: ports, pid, readiness
  -h, --help           this text

Settings (environment):
  WLP_DIR          Liberty install holding the servers   [$WLP_DIR]
  TEMPLATE         server copied for each instance       [$TEMPLATE]
  BASE_HTTP_PORT   instance n listens on this + n        [$BASE_HTTP_PORT]
  BASE_HTTPS_PORT  instance n's HTTPS port is this + n   [$BASE_HTTPS_PORT]
  READY_TIMEOUT    seconds to wait for readiness         [$READY_TIMEOUT]
  JAVA_HOME        the JVM the servers run on (default: java on PATH)

Every exported DB_*, REDIS_*, BROKER_*, INGEST_*, PUBLISH_*, PUBLISHER_*, SCHEMA_*, METRICS_*, API_*,
CLOUDEVENTS_*, CONFLICTS_*, IDEMPOTENCY_*, EVENTS_*, DEDUP_*, RETENTION_*, SUBSCRIPTIONS_*, OTEL_* variable,
AGGREGATOR_URL and AGGREGATOR_API_KEY reaches every instance and wins over the template's bootstrap.properties
and server.env.
The instances must share one database: more than one instance needs a PostgreSQL DB_URL, exported or in the
template's own configuration, since the embedded H2 default is a file database of one process. Each instance
keeps its own logs, workarea, tranlog, temp and data (so its own H2 database when there is one instance).

The template server "aggregator" is created, from the project root, with:
  $create_cmd
(./mvnw verify leaves the integration-test servers aggregator-it-h2 and aggregator-it-postgres, also usable.)

Example (local PostgreSQL and Redis):
  export DB_URL=jdbc:postgresql://127.0.0.1:5432/postgres DB_USER=postgres
  src/main/scripts/instances.sh start 3      # http://localhost:9081 .. :9083
  src/main/scripts/instances.sh stop all
EOF
}

die() {
    echo "${0##*/}: $*" >&2
    exit 1
}

bad_usage() {
    echo "${0##*/}: $*" >&2
    echo >&2
    usage >&2
    exit 2
}

number() {  # a positive instance number or count, else a usage error
    [[ $1 =~ ^[1-9][0-9]{0,3}$ ]] || bad_usage "not an instance number: '$1'"
}

name_of() { echo "$TEMPLATE-$1"; }
http_port() { echo $((BASE_HTTP_PORT + 10#$1)); }
https_port() { echo $((BASE_HTTPS_PORT + 10#$1)); }

configured_port() {  # the port an instance was last started with ($2: http or https), as its bootstrap.properties says
    sed -n "s/^$2\.port=//p" "$servers_dir/$1/bootstrap.properties" 2>/dev/null | tail -n 1
}

# Liberty writes the JVM's pid to <output dir>/.pid/<server>.pid (bin/server, PID_DIR default) and leaves it behind
# when the JVM is killed, so a pid counts only while its process still runs this server.
pid_of() {
    local file=$servers_dir/.pid/$1.pid pid
    [[ -f $file ]] || return 1
    pid=$(tr -dc '0-9' <"$file")
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
    ps -ww -o args= -p "$pid" 2>/dev/null | grep -q -- " $1\( \|$\)" || return 1
    echo "$pid"
}

running() { pid_of "$1" >/dev/null; }

ready_status() {  # the HTTP status of /health/ready, 000 when nothing answers
    curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$1/health/ready" || true
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Bootstrap-property or env names meaning the same Liberty variable: ${db.url} resolves from db.url, db_url or DB_URL,
# and MicroProfile Config maps property db.url to DB_URL the same way.
env_name() { echo "$1" | tr -c 'A-Za-z0-9\n' '_' | tr '[:lower:]' '[:upper:]'; }

passed_env_names() { compgen -e | grep -E "$passed_env_pattern" || true; }

# The database the instances will use: the caller's DB_URL, else what the template itself configures (its
# bootstrap.properties before its server.env, Liberty's own order).
effective_db_url() {
    if [[ -n ${DB_URL:-} ]]; then echo "$DB_URL"; return; fi
    local file key value line
    for file in "$template_dir/bootstrap.properties" "$template_dir/server.env"; do
        [[ -f $file ]] || continue
        while IFS= read -r line; do
            [[ $line =~ ^[[:space:]]*([^#=[:space:]][^=]*)=(.*)$ ]] || continue
            key=${BASH_REMATCH[1]%"${BASH_REMATCH[1]##*[![:space:]]}"}
            value=${BASH_REMATCH[2]#"${BASH_REMATCH[2]%%[![:space:]]*}"}
            if [[ $(env_name "$key") == DB_URL ]]; then echo "$value"; return; fi
        done <"$file"
    done
}

uses_embedded_db() {
    local url
    url=$(effective_db_url)
    [[ -z $url || $url == jdbc:h2:* ]]
}

instance_names() {  # every server of this template's instance pattern, in numeric order
    local dir base
    for dir in "$servers_dir/$TEMPLATE"-*/; do
        [[ -d $dir ]] || continue
        base=$(basename "$dir")
        [[ ${base#"$TEMPLATE"-} =~ ^[0-9]+$ ]] && echo "${base#"$TEMPLATE"-} $base"
    done | sort -n | cut -d' ' -f2
}

require_template() {
    [[ -x $WLP_DIR/bin/server ]] || die "no Liberty install at $WLP_DIR (set WLP_DIR, or create it from the project root with: $create_cmd)"
    [[ -f $template_dir/server.xml ]] || die "no template server '$TEMPLATE' in $servers_dir. Create it from the project root with: $create_cmd (or set TEMPLATE to an existing server)"
}

# Writes instance n's configuration afresh from the template, so every start runs with the template's current
# configuration and the caller's current settings; only the run-time directories survive from the previous run.
prepare() {
    local n=$1 name dir keep=() d line key names=() expand=0 value
    name=$(name_of "$n")
    dir=$servers_dir/$name
    mkdir -p "$dir"
    for d in "${runtime_dirs[@]}"; do keep+=(! -name "$d"); done
    find "$dir" -mindepth 1 -maxdepth 1 "${keep[@]}" -exec rm -rf {} +
    local excludes=()
    for d in "${runtime_dirs[@]}"; do excludes+=(--exclude="./$d"); done
    tar -C "$template_dir" "${excludes[@]}" --exclude=./apps/expanded -cf - . | tar -C "$dir" -xf -

    mapfile -t names < <(passed_env_names)
    # Overridden here, so the template must not set them: the ports, the per-instance data directory, and every
    # setting the caller passes (bootstrap.properties beats the process environment, server.env overwrites it).
    local -A drop=([HTTP_PORT]=1 [HTTPS_PORT]=1 [DATA_DIR]=1 [AGGREGATOR_URL]=1)
    for key in "${names[@]}"; do drop[$key]=1; done

    local bootstrap=$dir/bootstrap.properties
    {
        if [[ -f $template_dir/bootstrap.properties ]]; then
            while IFS= read -r line || [[ -n $line ]]; do
                if [[ $line =~ ^[[:space:]]*([^#!=:[:space:]][^=:[:space:]]*)[[:space:]]*[=:] ]] &&
                    [[ -n ${drop[$(env_name "${BASH_REMATCH[1]}")]:-} ]]; then
                    continue
                fi
                echo "$line"
            done <"$template_dir/bootstrap.properties"
        fi
        echo "# instances.sh: instance $n of $TEMPLATE"
        echo "http.port=$(http_port "$n")"
        echo "https.port=$(https_port "$n")"
    } >"$bootstrap.new"
    mv "$bootstrap.new" "$bootstrap"

    # server.env is read by bin/server without expansion unless the file enables it; then it is sourced as shell.
    if [[ -f $template_dir/server.env ]] &&
        tr -d '[:blank:]\r' <"$template_dir/server.env" | grep -qix '#enable_variable_expansion'; then
        expand=1
    fi
    local env_file=$dir/server.env
    (
        umask 077   # it may hold DB_PASSWORD
        {
            if [[ -f $template_dir/server.env ]]; then
                while IFS= read -r line || [[ -n $line ]]; do
                    line=${line%$'\r'}
                    if [[ $line =~ ^([_[:alpha:]][_[:alnum:]]*)= ]] && [[ -n ${drop[${BASH_REMATCH[1]}]:-} ]]; then
                        continue
                    fi
                    echo "$line"
                done <"$template_dir/server.env"
            fi
            echo "# instances.sh: the caller's settings"
            [[ -n ${AGGREGATOR_URL:-} ]] || echo "AGGREGATOR_URL=http://localhost:$(http_port "$n")"
            for key in "${names[@]}"; do
                value=${!key}
                [[ $value != *$'\n'* ]] || die "$key holds a line break, which server.env cannot carry"
                if ((expand)); then
                    printf "%s='%s'\n" "$key" "${value//\'/\'\\\'\'}"
                else
                    printf '%s=%s\n' "$key" "$value"
                fi
            done
        } >"$env_file.new"
        mv "$env_file.new" "$env_file"
    )
}

server_cmd() {  # bin/server with a predictable layout: no caller-wide log, pid or output locations
    (
        unset WLP_USER_DIR WLP_OUTPUT_DIR LOG_DIR LOG_FILE PID_DIR PID_FILE SERVER_WORKING_DIR DATA_DIR
        exec "$WLP_DIR/bin/server" "$@"
    )
}

log_tail() {  # the end of the server's log, and its error messages, which a stack trace may push out of view
    local log=$servers_dir/$1/logs/messages.log
    if [[ -f $log ]]; then
        echo "--- last lines of $log:" >&2
        tail -n 40 "$log" >&2
        if grep -q '^\[[^]]*\] [0-9a-f]* .* E ' "$log"; then
            echo "--- its error messages:" >&2
            grep '^\[[^]]*\] [0-9a-f]* .* E ' "$log" | tail -n 5 | cut -c1-400 >&2
        fi
    else
        echo "--- no $log; console output:" >&2
        tail -n 40 "$servers_dir/$1/logs/console.log" >&2 2>/dev/null || true
    fi
}

launch() {  # starts instance n unless it runs; prints nothing else on success
    local n=$1 name port
    name=$(name_of "$n")
    port=$(http_port "$n")
    if running "$name"; then
        echo "$name already running (pid $(pid_of "$name")) on port $port"
        return
    fi
    port_in_use "$port" && die "port $port (instance $n) is already in use by another process"
    port_in_use "$(https_port "$n")" && die "port $(https_port "$n") (instance $n) is already in use by another process"
    prepare "$n"
    if ! server_cmd start "$name"; then
        log_tail "$name"
        die "$name did not start"
    fi
}

await_ready() {  # waits for instance n's readiness; on failure stops it, so a failed start leaves nothing behind
    local n=$1 deadline=$2 name port status=000
    name=$(name_of "$n")
    port=$(http_port "$n")
    while ((SECONDS < deadline)); do
        status=$(ready_status "$port")
        if [[ $status == 200 ]]; then
            echo "$name ready at http://localhost:$port"
            return
        fi
        running "$name" || { log_tail "$name"; die "$name stopped while starting"; }
        # An application that failed to start (CWWKZ0002E) keeps readiness DOWN for good: no use waiting.
        if grep -q 'CWWKZ0002E' "$servers_dir/$name/logs/messages.log" 2>/dev/null; then
            fail_start "$name" "an application of $name failed to start (CWWKZ0002E, see above)"
        fi
        sleep 1
    done
    fail_start "$name" "$name did not report ready on http://127.0.0.1:$port/health/ready within ${READY_TIMEOUT}s (last status $status)"
}

fail_start() {
    log_tail "$1"
    echo "${0##*/}: stopping $1" >&2
    server_cmd stop "$1" >/dev/null 2>&1 || true
    die "$2"
}

check_shared_db() {  # $1: how many instances will run
    if (($1 > 1)) && uses_embedded_db; then
        die "$1 instances need a shared database: export DB_URL (and DB_USER, DB_PASSWORD) for PostgreSQL, e.g. DB_URL=jdbc:postgresql://127.0.0.1:5432/postgres DB_USER=postgres. The embedded H2 default is one process's file database."
    fi
}

running_beyond() {  # how many instances numbered above $1 run
    local name count=0
    for name in $(instance_names); do
        ((10#${name##*-} > $1)) && running "$name" && count=$((count + 1))
    done
    echo "$count"
}

start_all() {
    local count=$1 n deadline
    check_shared_db $((count + $(running_beyond "$count")))
    for n in $(seq 1 "$count"); do launch "$n"; done
    deadline=$((SECONDS + READY_TIMEOUT))
    for n in $(seq 1 "$count"); do await_ready "$n" "$deadline"; done
}

start_one() {
    local n=$1 others=0 name
    for name in $(instance_names); do
        [[ $name != "$(name_of "$n")" ]] && running "$name" && others=$((others + 1))
    done
    check_shared_db $((others + 1))
    launch "$n"
    await_ready "$n" $((SECONDS + READY_TIMEOUT))
}

stop_named() {
    local name
    for name in "$@"; do
        if [[ -d $servers_dir/$name ]] && running "$name"; then
            server_cmd stop "$name"
        else
            echo "$name is not running"
        fi
    done
}

kill_one() {
    local name pid
    name=$(name_of "$1")
    pid=$(pid_of "$name") || die "$name is not running"
    kill -9 "$pid"
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || { echo "$name (pid $pid) killed"; return; }
        sleep 0.1
    done
    die "$name (pid $pid) still exists 10 s after kill -9"
}

signal_one() {  # signal_one <n> <STOP|CONT>
    local name pid
    name=$(name_of "$1")
    pid=$(pid_of "$name") || die "$name is not running"
    kill -s "$2" "$pid"
    echo "$name (pid $pid) sent SIG$2"
}

status() {  # READY is the HTTP status of /health/ready (000: no answer)
    local name pid ready http
    printf '%-32s %6s %6s %8s %s\n' SERVER HTTP HTTPS PID READY
    for name in $(instance_names); do
        http=$(configured_port "$name" http)
        pid=$(pid_of "$name") || pid=-
        if [[ $pid == - ]]; then ready=stopped; else ready=$(ready_status "$http"); fi
        printf '%-32s %6s %6s %8s %s\n' "$name" "${http:--}" "$(configured_port "$name" https)" "$pid" "$ready"
    done
}

[[ $# -ge 1 ]] || bad_usage "no command"
command=$1
shift
case $command in
-h | --help | help)
    usage
    ;;
start)
    [[ $# -eq 1 ]] || bad_usage "start takes the number of instances"
    number "$1"
    require_template
    start_all "$1"
    ;;
start-one)
    [[ $# -eq 1 ]] || bad_usage "start-one takes one instance number"
    number "$1"
    require_template
    start_one "$1"
    ;;
stop)
    [[ $# -eq 1 ]] || bad_usage "stop takes a count or 'all'"
    [[ -x $WLP_DIR/bin/server ]] || die "no Liberty install at $WLP_DIR"
    if [[ $1 == all ]]; then
        mapfile -t names < <(instance_names)
    else
        number "$1"
        names=()
        for n in $(seq 1 "$1"); do names+=("$(name_of "$n")"); done
    fi
    ((${#names[@]} == 0)) || stop_named "${names[@]}"
    ;;
stop-one)
    [[ $# -ge 1 ]] || bad_usage "stop-one takes instance numbers"
    [[ -x $WLP_DIR/bin/server ]] || die "no Liberty install at $WLP_DIR"
    names=()
    for n in "$@"; do
        number "$n"
        names+=("$(name_of "$n")")
    done
    stop_named "${names[@]}"
    ;;
kill)
    [[ $# -eq 1 ]] || bad_usage "kill takes one instance number"
    number "$1"
    kill_one "$1"
    ;;
pause | resume)
    [[ $# -eq 1 ]] || bad_usage "$command takes one instance number"
    number "$1"
    if [[ $command == pause ]]; then signal_one "$1" STOP; else signal_one "$1" CONT; fi
    ;;
status)
    [[ $# -eq 0 ]] || bad_usage "status takes no arguments"
    [[ -d $servers_dir ]] || die "no Liberty servers at $servers_dir (set WLP_DIR)"
    status
    ;;
*)
    bad_usage "unknown command '$command'"
    ;;
esac
