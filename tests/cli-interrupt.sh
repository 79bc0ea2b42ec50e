#!/bin/sh
# Interrupting certify never leaves a half-written certificate: after
# SIGINT or SIGTERM at any moment there is either no certificate (and no
# temporary file) or the complete one, which verifies; SIGINT while the
# output is being committed (fsync made slow by tests/slowsync.c) is held
# back until the rename is done. After SIGKILL the target is still never
# partial, but the temporary file "NAME.tmp.XXXXXX" may remain.
. "$(dirname "$0")/cli-lib.sh"
: "${POLARCERT_VERIFY:?set by make check}"
case1="$PC_CASES/logistic-uniform-8.json"
mkdir "$tmp/w"
cd "$tmp/w" || exit 1

# the certificate is either absent or complete (it verifies)
absent_or_complete() {
    [ ! -e c.json ] || "$POLARCERT_VERIFY" --quiet c.json >/dev/null
}
no_tmp() { ! ls -a | grep -q "\.tmp\."; }

for sig in INT TERM KILL; do
    for delay in 0.1 0.4 0.8 1.5 3; do
        rm -f c.json c.json.tmp.*
        "$POLARCERT" certify -o c.json "$case1" >/dev/null 2>&1 &
        pid=$!
        sleep "$delay"
        kill -s "$sig" "$pid" 2>/dev/null
        wait "$pid"
        rc=$?
        state=absent; [ -e c.json ] && state=written
        check "SIG$sig after ${delay} s (exit $rc, certificate $state): absent or complete" \
            absent_or_complete
        if [ "$sig" != KILL ]; then
            check "SIG$sig after ${delay} s: no temporary file left" no_tmp
        fi
    done
done

# SIGINT during the commit: the complete certificate, no temporary file
if [ -n "${PC_SLOWSYNC:-}" ] && [ -f "$PC_SLOWSYNC" ]; then
    rm -f c.json c.json.tmp.* mark
    LD_PRELOAD="$PC_SLOWSYNC" PC_SLOWSYNC_MARK="$tmp/w/mark" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
        "$POLARCERT" certify -o c.json "$case1" >/dev/null 2>&1 &
    pid=$!
    k=0
    while [ ! -e mark ] && [ "$k" -lt 1200 ]; do sleep 0.1; k=$((k + 1)); done
    check "certify reached the commit (fsync)" test -e mark
    kill -s INT "$pid"
    wait "$pid"
    rc=$?
    check "SIGINT during the commit: killed by it after the commit (exit $rc)" test "$rc" -eq 130
    check "SIGINT during the commit: the certificate is complete and verifies" \
        "$POLARCERT_VERIFY" --quiet c.json
    check "SIGINT during the commit: no temporary file left" no_tmp
else
    echo "# skipped the commit-window check: PC_SLOWSYNC (tests/.libs/libslowsync.so) not set"
fi
finish
