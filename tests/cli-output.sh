#!/bin/sh
# Output files (-o, --json): a target that is not a regular file (device,
# symbolic link, named pipe, directory) is refused before any computation
# and left as it was; a full disk (a 64 kB tmpfs in a private mount
# namespace, where unprivileged user namespaces are allowed) and a full
# standard output are reported with exit 1 and leave nothing behind.
. "$(dirname "$0")/cli-lib.sh"
case1="$PC_CASES/logistic-skewed-a-8.json"
mkdir "$tmp/w"
cd "$tmp/w" || exit 1

echo keep >target.json
ln -s target.json link.json
mkfifo pipe.json
mkdir dir.json
# a device node: a private one where we may make it (as root a broken
# program would replace /dev/null itself), else /dev/null, which only root
# could replace
dev=/dev/null
mknod null.dev c 1 3 2>/dev/null && dev=null.dev
for t in link.json pipe.json dir.json "$dev"; do
    expect_exit 2 "certify -o $t is refused" "$POLARCERT" certify -o "$t" "$case1"
    check "certify -o $t: says it is not a regular file" grep -q "$t: is .*not a regular file" "$tmp/err"
    check "certify -o $t: refused before the run (nothing on stdout)" test ! -s "$tmp/out"
    expect_exit 2 "enclose --json $t is refused" "$POLARCERT" enclose --T 1 --json "$t" "$case1"
    check "enclose --json $t: refused before the run" test ! -s "$tmp/out"
    expect_exit 2 "eval -o $t is refused" "$POLARCERT" eval -o "$t" "$case1"
    expect_exit 2 "simulate -o $t is refused" "$POLARCERT" simulate -o "$t" "$case1"
done
check "the symbolic link is still a link" test -L link.json
check "its target is unchanged" grep -qx keep target.json
check "the named pipe is still a pipe" test -p pipe.json
check "$dev is still a character device" test -c "$dev"
check "no temporary file is left" sh -c '! ls -a | grep -q "\.tmp\."'

# a full standard output
if [ -w /dev/full ]; then
    expect_exit 1 "eval > /dev/full fails" sh -c "'$POLARCERT' eval '$case1' >/dev/full"
    check "eval > /dev/full says why" grep -q "standard output: cannot write: No space left" "$tmp/err"
    expect_exit 1 "eval --format json > /dev/full fails" \
        sh -c "'$POLARCERT' eval --format json '$case1' >/dev/full"
    check "eval --format json > /dev/full says why" grep -q "No space left" "$tmp/err"
    "$POLARCERT" certify --T 1 -o small.cert.json "$case1" >/dev/null 2>&1
    expect_exit 2 "polarcert-verify > /dev/full does not exit 0" \
        sh -c "'${POLARCERT_VERIFY:?}' small.cert.json >/dev/full"
    check "polarcert-verify > /dev/full says why" grep -q "standard output: No space left" "$tmp/err"
fi

# a full disk: a 64 kB tmpfs, in a private user and mount namespace
mkdir full
if unshare -rm sh -c 'mount -t tmpfs -o size=64k tmpfs full' 2>/dev/null; then
    cat >full.sh <<EOS
mount -t tmpfs -o size=64k tmpfs full || exit 99
head -c 60000 /dev/zero >full/filler 2>/dev/null
"\$1" certify -o full/c.json "$case1" >certify.out 2>certify.err; echo \$? >certify.rc
"\$1" eval --format json -o full/e.json "$case1" >eval.out 2>eval.err; echo \$? >eval.rc
"\$1" enclose --T 1 --json full/n.json "$case1" >enclose.out 2>enclose.err; echo \$? >enclose.rc
ls -a full >ls.out
EOS
    unshare -rm sh full.sh "$POLARCERT"
    check "full disk: certify exits 1" grep -qx 1 certify.rc
    check "full disk: certify says why" grep -q "full/c.json: cannot .*No space left on device" certify.err
    check "full disk: certify says the certificate was not written" grep -q "^cert .*NOT WRITTEN" certify.out
    check "full disk: eval --format json -o exits 1" grep -qx 1 eval.rc
    check "full disk: eval says why" grep -q "full/e.json: cannot .*No space left on device" eval.err
    check "full disk: enclose --json exits 1" grep -qx 1 enclose.rc
    check "full disk: enclose says why" grep -q "full/n.json: cannot .*No space left on device" enclose.err
    check "full disk: nothing but the filler is left" test "$(grep -cv '^\.*$' ls.out)" -eq 1
else
    echo "# skipped the full-disk checks: no private mount namespace (unshare -rm) here"
fi
finish
