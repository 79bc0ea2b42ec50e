#!/bin/sh
# Every file in tests/bad is refused by the program with exit code 2 and a
# message that names the file, and no output file is written.
. "$(dirname "$0")/cli-lib.sh"
: "${PC_BAD:?}"
for f in "$PC_BAD"/*.json; do
    name=$(basename "$f")
    "$POLARCERT" eval -o "$tmp/out.txt" "$f" >"$tmp/o" 2>"$tmp/e"; code=$?
    if [ "$code" -eq 2 ] && grep -q "$name" "$tmp/e" && [ ! -e "$tmp/out.txt" ]; then
        ok "eval refuses $name: $(head -1 "$tmp/e")"
    else
        not_ok "eval $name: exit $code, message: $(head -1 "$tmp/e")"
    fi
done
for cmd in eval simulate; do
    expect_exit 2 "$cmd refuses malformed JSON" "$POLARCERT" $cmd "$PC_BAD/malformed.json"
done
finish
