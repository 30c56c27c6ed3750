#!/bin/sh
# run-secrets.sh: credentials never show in output, snapshots, reports, errors or -v logs.
# Usage: run-secrets.sh ./verdict
#
# Three fault servers demand credentials (a bearer token, basic auth, basic
# auth from the URL's user:password@).  verdict runs against them with every
# way of giving a secret (environment, file, URL in the YAML, --prometheus,
# VERDICT_PROMETHEUS_URL), with -v, through successes, 401s for a wrong
# secret, a server that quotes the Authorization header back in its error,
# 422/502/truncated answers, timeouts, a refused connection and malformed
# URLs.  Every byte verdict wrote (stdout, stderr, snapshots, reports in
# all five formats) is then searched for each secret, and for the base64
# of user:password that Basic auth puts on the wire.  Each run is also
# checked to have done what it is for (the server saw the secret, the
# error was printed), so a test that never sent a secret cannot pass.
# shellcheck disable=SC2086  # $common, $extra, $envs: word lists, split on purpose
set -u
bin=$1
case "$bin" in /*) ;; *) bin="$(pwd)/$bin" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
passed=0
failed=0
fault_dir=$here fault_summary="secrets: "
. "$fault_dir/fault_server.sh"

cleanup() {
    fault_stop
    rm -rf "$tmp"
}
trap cleanup EXIT
# a signal (timeout, a closed pipe) ends the script through the EXIT trap,
# so the servers are stopped whatever happens
trap 'exit 130' INT TERM HUP PIPE

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

# Distinctive, so a hit can only be a leak.  Letters and digits only: the
# URL-encoded form is the same string.
user=verdict-bot
token=tokQ7x9vB2bearerSECRET
wrong_token=tokW4r0ngBadSECRET
password=pwK3v8nL5basicSECRET
wrong_password=pwW7r0ngBadSECRET
url_password=urlZ5m2pR8SECRET
api_key=keyH4j6wT1SECRET
b64() { printf '%s' "$1" | base64 | tr -d '\n'; }
basic=$(b64 "$user:$password")
basic_wrong=$(b64 "$user:$wrong_password")
basic_url=$(b64 "$user:$url_password")
secrets="$token $wrong_token $password $wrong_password $url_password $api_key $basic \
$basic_wrong $basic_url"

# one fault server per way of sending a secret; port_NAME is its port
for server in "bearer --require-bearer $token" "basic --require-basic $user:$password" \
    "urlbasic --require-basic $user:$url_password"; do
    set -- $server
    fault_start "$@" --log "$tmp/$1.log"
    eval "port_$1=$fault_port"
done
# shellcheck disable=SC2154
bearer_url=http://127.0.0.1:$port_bearer
# shellcheck disable=SC2154
basic_url_plain=http://127.0.0.1:$port_basic
# shellcheck disable=SC2154
secret_url="http://$user:$url_password@127.0.0.1:$port_urlbasic"
wrong_url="http://$user:$wrong_password@127.0.0.1:$port_urlbasic"

printf '%s\n' "$token" >"$tmp/token.txt"
printf '%s\n' "$wrong_token" >"$tmp/wrong-token.txt"
printf '%s\n' "$password" >"$tmp/password.txt"
printf '%s\n' "$wrong_password" >"$tmp/wrong-password.txt"

# config NAME PROMETHEUS-LINES: the assumptions file NAME.yaml; every run
# asks the same services: data, a server quoting our headers back in a
# 422 error and in a 200 answer's warnings, infos and labels, 422,
# truncated JSON (a 502, retried with backoff, only where it is needed)
config() {
    { echo "version: 1"
      echo "prometheus:"
      printf '%s\n' "$2"
      echo "  timeout: 2s"
      echo "services:"
      for s in ok-alpha echo-auth echo-warn err-422 truncated; do
          echo "  - name: $s"
          echo "    language: python"
      done
    } >"$tmp/$1.yaml"
}
config bearer-env "  url: $bearer_url
  headers:
    X-Scope-OrgID: tenant-a
    X-Api-Key: $api_key
  bearer_token_env: VERDICT_SECRET_TOKEN"
config bearer-file "  url: $bearer_url
  bearer_token_file: $tmp/token.txt"
config basic-env "  url: $basic_url_plain
  basic_auth:
    username: $user
    password_env: VERDICT_SECRET_PASSWORD"
config basic-file "  url: $basic_url_plain
  basic_auth:
    username: $user
    password_file: $tmp/password.txt"
config url-yaml "  url: $secret_url"
config url-flag "  concurrency: 4"
config url-env "  concurrency: 4"
config bearer-wrong-file "  url: $bearer_url
  bearer_token_file: $tmp/wrong-token.txt"
config basic-wrong-file "  url: $basic_url_plain
  basic_auth:
    username: $user
    password_file: $tmp/wrong-password.txt"
config url-wrong "  url: $wrong_url"
# discovery lists a service named after the credentials it received
for v in bearer-env basic-env url-yaml; do
    sed 's/^services:$/discovery:\
  query: count by (service) (verdict_echo_discovery)\
  label: service\
services:/' "$tmp/$v.yaml" >"$tmp/disc-$v.yaml"
done

export VERDICT_SECRET_TOKEN="$token"
export VERDICT_SECRET_PASSWORD="$password"
unset VERDICT_PROMETHEUS_URL
out="$tmp/out"
mkdir -p "$out"
common="--end 2026-11-01T00:00:00Z --range 1h --step 60s --draws 200"

# run TAG CMD...: stdout to out/TAG.out, stderr to out/TAG.err, status to
# out/TAG.rc; files it writes go to out/ as well
run() {
    tag=$1
    shift
    "$@" >"$out/$tag.out" 2>"$out/$tag.err"
    echo $? >"$out/$tag.rc"
}
rc_of() { cat "$out/$1.rc"; }

# variant NAME EXTRA-ARGS ENV-ASSIGNMENTS: everything a user does, all -v
variant() {
    v=$1 extra=$2 envs=$3
    cfg="$tmp/$v.yaml"
    run "$v.fetch" env $envs "$bin" fetch -c "$cfg" $extra $common -v -o "$out/$v.snap.json"
    for f in text json csv md html; do
        run "$v.report-$f" env $envs "$bin" report -c "$cfg" --snapshot "$out/$v.snap.json" \
            $common --format $f -v -o "$out/$v.report.$f"
    done
    run "$v.live-report" env $envs "$bin" report -c "$cfg" $extra $common --format md -v
    run "$v.live-json" env $envs "$bin" report -c "$cfg" $extra $common --format json -v
    run "$v.score" env $envs "$bin" score -c "$cfg" $extra $common -v
    run "$v.score-csv" env $envs "$bin" score -c "$cfg" $extra $common --format csv -v
    run "$v.dry-run" env $envs "$bin" fetch -c "$cfg" $extra $common --dry-run -v
    run "$v.check-config" env $envs "$bin" check-config "$cfg"
    # nothing listening: the refused connection names the URL
    case "$extra" in
    --prometheus*) refused="--prometheus http://$user:$url_password@127.0.0.1:9" ;;
    *) refused="--prometheus http://127.0.0.1:9" ;;
    esac
    if [ "$v" = url-env ]; then
        envs_refused="VERDICT_PROMETHEUS_URL=http://$user:$url_password@127.0.0.1:9"
        refused=
    else
        envs_refused=$envs
    fi
    run "$v.refused" env $envs_refused "$bin" report -c "$cfg" $refused $common -v
}

# a response slower than the timeout (4 attempts of 1 s), and a 502 page
# (retried with backoff), with each kind of secret: started first, in the
# background, since they take seconds of waiting
config bearer-slow "  url: $bearer_url
  bearer_token_env: VERDICT_SECRET_TOKEN
  timeout: 1s"
sed -i 's/^  timeout: 2s$//' "$tmp/bearer-slow.yaml"
printf '  - name: slow\n  - name: html\n' >>"$tmp/bearer-slow.yaml"
run bearer-slow "$bin" fetch -c "$tmp/bearer-slow.yaml" --service slow --service html \
    $common -v -o "$out/bearer-slow.snap.json" &
slow1=$!
run url-slow "$bin" fetch -c "$tmp/bearer-slow.yaml" --service slow --service html $common -v \
    --prometheus "http://$user:$url_password@127.0.0.1:$port_bearer" \
    -o "$out/url-slow.snap.json" &
slow2=$!

# variant NAME "extra arguments" "environment for the run", all at once
variant bearer-env "" "VERDICT_SECRET_TOKEN=$token" &
v1=$!
variant bearer-file "" "VERDICT_SECRET_TOKEN=$token" &
v2=$!
variant basic-env "" "VERDICT_SECRET_PASSWORD=$password" &
v3=$!
variant basic-file "" "VERDICT_SECRET_PASSWORD=$password" &
v4=$!
variant url-yaml "" "VERDICT_SECRET_TOKEN=$token" &
v5=$!
variant url-flag "--prometheus $secret_url" "VERDICT_SECRET_TOKEN=$token" &
v6=$!
variant url-env "" "VERDICT_PROMETHEUS_URL=$secret_url" &
v7=$!
variant disc-bearer-env "" "VERDICT_SECRET_TOKEN=$token" &
v8=$!
variant disc-basic-env "" "VERDICT_SECRET_PASSWORD=$password" &
v9=$!
variant disc-url-yaml "" "" &
v10=$!
wait $v1 $v2 $v3 $v4 $v5 $v6 $v7 $v8 $v9 $v10

# each variant reached its server with the right credentials and got data
proof() {
    v=$1 log=$2 want=$3
    got=$(python3 -c "
import json, sys
d = json.load(open('$out/$v.snap.json'))
s = {x['name']: x for x in d['services']}
print(s['ok-alpha']['signals']['cpu_cores']['stats']['count'])" 2>/dev/null)
    if [ "$(rc_of "$v.fetch")" -eq 3 ] && [ "$got" = 61 ] && grep -qF "$want" "$tmp/$log.log"
    then
        pass "$v: authenticated (61 points for ok-alpha, the server saw the credential)"
    else
        fail "$v: fetch exit $(rc_of "$v.fetch"), ok-alpha '$got' points"
        head -3 "$out/$v.fetch.err"
    fi
}
proof bearer-env bearer "Bearer $token"
proof bearer-file bearer "Bearer $token"
proof basic-env basic "Basic $basic"
proof basic-file basic "Basic $basic"
proof url-yaml urlbasic "Basic $basic_url"
proof url-flag urlbasic "Basic $basic_url"
proof url-env urlbasic "Basic $basic_url"
if grep -qF "$api_key" "$tmp/bearer.log"; then
    pass "the X-Api-Key header was sent"
else
    fail "the X-Api-Key header was not sent"
fi

# the echoing server's error arrives, with the credentials masked
if grep -q 'rejected request with Authorization: Bearer \*\*\*\*' "$out/bearer-env.snap.json" &&
    grep -q 'X-Api-Key: \*\*\*\*' "$out/bearer-env.snap.json" &&
    grep -q 'Authorization: Basic \*\*\*\*' "$out/basic-env.snap.json" &&
    grep -q 'Authorization: Basic \*\*\*\*' "$out/url-yaml.snap.json"; then
    pass "a server quoting the Authorization header back: its error kept, the secret masked"
else
    fail "the echoed error is missing or unmasked"
    grep -h 'rejected' "$out"/*.snap.json | head -3
fi

# a 200 answer quoting the credentials in warnings, infos and a label:
# the data kept, the warning shown, the secret masked
if grep -q 'upstream saw Bearer \*\*\*\*' "$out/bearer-env.snap.json" &&
    grep -q 'request carried Bearer \*\*\*\*' "$out/bearer-env.report.json" &&
    grep -q 'upstream saw Basic \*\*\*\*.* (verdict-bot:\*\*\*\*' "$out/basic-env.snap.json" &&
    grep -q 'upstream saw Basic \*\*\*\*.* (verdict-bot:\*\*\*\*' "$out/url-yaml.snap.json" &&
    grep -q "upstream saw" "$out/bearer-env.report.html" &&
    grep -q "upstream saw" "$out/bearer-env.report.md"; then
    pass "a success answer quoting the credentials in its warnings: kept, masked"
else
    fail "the warnings of a success answer are missing or unmasked"
    grep -ho 'upstream saw[^"]*' "$out"/*.snap.json | head -3
fi
# a service discovered under a name that quotes the credentials
for v in disc-bearer-env disc-basic-env disc-url-yaml; do
    if grep -q '"ok-echo \(Bearer\|Basic\) \*\*\*\*' "$out/$v.snap.json" &&
        grep -q 'ok-echo' "$out/$v.report.csv" "$out/$v.score.out"; then
        pass "$v: a discovered name quoting the credentials is listed, masked"
    else
        fail "$v: the discovered service is missing or unmasked"
        grep -ho '"ok-echo[^"]*' "$out/$v.snap.json" | head -2
    fi
done

# the URL is shown, with *** for the user:password part
for v in url-yaml url-flag url-env; do
    if grep -q "prom: client http://\*\*\*@127.0.0.1:$port_urlbasic" "$out/$v.fetch.err" &&
        grep -q "\*\*\*@127.0.0.1" "$out/$v.report.json"; then
        pass "$v: the URL shows as http://***@host in the -v log and the report"
    else
        fail "$v: no redacted URL in the -v log or the report"
        head -2 "$out/$v.fetch.err"
    fi
done
for v in url-flag url-env bearer-env; do
    if [ "$(rc_of "$v.refused")" -eq 1 ] && grep -q refused "$out/$v.refused.err"; then
        pass "$v: a refused connection is reported (exit 1)"
    else
        fail "$v: refused: exit $(rc_of "$v.refused"), $(head -1 "$out/$v.refused.err")"
    fi
done

# wrong credentials: 401 errors whose bodies quote what we sent
for v in bearer-wrong-file basic-wrong-file url-wrong; do
    run "$v.fetch" "$bin" fetch -c "$tmp/$v.yaml" $common -v -o "$out/$v.snap.json"
    run "$v.report" "$bin" report -c "$tmp/$v.yaml" $common -v
    if grep -q '401' "$out/$v.fetch.err" && grep -q 'unauthorized: bad credentials' \
        "$out/$v.snap.json" "$out/$v.report.out"; then
        pass "$v: the 401 is reported"
    else
        fail "$v: no 401 in the log, snapshot or report"
    fi
done
run bearer-wrong-env.report env VERDICT_SECRET_TOKEN="$wrong_token" "$bin" report \
    -c "$tmp/bearer-env.yaml" $common -v --format json
run basic-wrong-env.report env VERDICT_SECRET_PASSWORD="$wrong_password" "$bin" report \
    -c "$tmp/basic-env.yaml" $common -v --format text

# the slow runs started at the top
wait $slow1 $slow2
if grep -q 'timed out' "$out/bearer-slow.snap.json" && grep -q 'timed out' \
    "$out/url-slow.snap.json" && grep -q 'HTML' "$out/bearer-slow.snap.json" &&
    grep -q 'HTML' "$out/url-slow.snap.json"; then
    pass "timeouts and a 502 page reported"
else
    fail "no timeout or 502 in the snapshots"
fi

# URLs verdict refuses, each with a password in it: the message quotes the
# URL, redacted
n=0
for u in "http://$user:$url_password@" "ftp://$user:$url_password@127.0.0.1/" \
    "http://$user:$url_password@127.0.0.1:1/x?y=1" "http://$user:$url_password@127.0.0.1:99999/" \
    "http://$user:$url_password@[::1/" "$user:$url_password@127.0.0.1" \
    "http://$user:$url_password@127.0.0.1:1/#frag" "http://$user:$url_password@127.0.0.1/a b"; do
    n=$((n + 1))
    run "badurl-$n.flag" "$bin" fetch -c "$tmp/url-flag.yaml" --prometheus "$u" $common -v \
        -o "$out/badurl-$n.json"
    run "badurl-$n.env" env VERDICT_PROMETHEUS_URL="$u" "$bin" report -c "$tmp/url-flag.yaml" \
        $common -v
    config "badurl-$n" "  url: \"$u\""
    run "badurl-$n.check" "$bin" check-config "$tmp/badurl-$n.yaml"
    run "badurl-$n.yaml" "$bin" score -c "$tmp/badurl-$n.yaml" $common -v
done
bad=0
for n in 1 2 3 4 5 6 7 8; do
    for k in flag env yaml; do
        if [ "$(rc_of "badurl-$n.$k")" -eq 0 ] || [ ! -s "$out/badurl-$n.$k.err" ]; then
            bad=$((bad + 1))
        fi
    done
done
[ $bad -eq 0 ] && pass "8 malformed URLs refused with a message, 3 ways each" ||
    fail "$bad malformed-URL runs succeeded or said nothing"

# secrets that cannot be used: a line break in the token, an empty file
run token-newline env VERDICT_SECRET_TOKEN="$token
injected: header" "$bin" fetch -c "$tmp/bearer-env.yaml" $common -v -o "$out/x.json"
if [ "$(rc_of token-newline)" -ne 0 ] && [ -s "$out/token-newline.err" ]; then
    pass "a token with a line break is refused: $(head -1 "$out/token-newline.err")"
else
    fail "a token with a line break: exit $(rc_of token-newline)"
fi

# -v logs each request's PromQL (issue 15), with the secrets masked: here a
# query template that quotes the API key (a tenant pasted into a selector)
{ cat "$tmp/bearer-env.yaml"
  echo "queries:"
  echo "  cpu_cores: 'sum(rate(process_cpu_seconds_total{key=\"$api_key\",service=\"\${service}\"}[5m]))'"
} >"$tmp/query-secret.yaml"
run query-secret.fetch env VERDICT_SECRET_TOKEN="$token" "$bin" fetch -c "$tmp/query-secret.yaml" \
    $common -v -o "$out/query-secret.snap.json"
if grep -q '^prom: query /api/v1/query_range: sum(rate(process_cpu_seconds_total{key="\*\*\*\*[*]*",service="ok-alpha"}\[5m\]))$' \
    "$out/query-secret.fetch.err"; then
    pass "-v logs each query's PromQL with the secret in it masked"
else
    fail "-v: no masked PromQL line: $(grep -m1 'total{key' "$out/query-secret.fetch.err" || tail -2 "$out/query-secret.fetch.err")"
fi

# The search: every file verdict wrote, every secret and its Basic form.
files=$(find "$out" -type f | wc -l)
leaks=0
for s in $secrets; do
    hits=$(grep -rlF -- "$s" "$out")
    if [ -n "$hits" ]; then
        leaks=$((leaks + 1))
        fail "secret '$s' found in: $(echo "$hits" | sed "s|$out/||" | tr '\n' ' ')"
        grep -rhF -- "$s" "$out" | head -3
    fi
done
[ $leaks -eq 0 ] && pass "no secret in any of $files files (stdout, stderr, snapshots, reports)"
# and per kind of output, so a missing kind shows
for kind in 'out' 'err' 'snap.json' 'report.text' 'report.json' 'report.csv' 'report.md' \
    'report.html'; do
    k=$(find "$out" -type f -name "*.$kind" | wc -l)
    if [ "$k" -ge 7 ]; then
        pass "searched $k *.$kind files"
    else
        fail "only $k *.$kind files were written"
    fi
done

echo "secrets: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
