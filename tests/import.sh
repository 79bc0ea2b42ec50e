#!/bin/sh
# polarcert import: every class of bad numpy file is refused with exit 2, a
# message "file: field: what is wrong" naming the class, and no output file;
# good files give a problem that the other commands accept.
. "$(dirname "$0")/cli-lib.sh"
: "${PC_NPY:?}"
bad="$PC_NPY/bad" good="$PC_NPY/good"

refuse() { # refuse FILE PATTERN [OPTIONS...]: exit 2, message matches, no output
    f=$1 pat=$2; shift 2
    "$POLARCERT" import "$@" -o "$tmp/p.json" "$bad/$f" >"$tmp/o" 2>"$tmp/e"; code=$?
    if [ "$code" -eq 2 ] && grep -q "$f: .*$pat" "$tmp/e" && [ ! -e "$tmp/p.json" ]; then
        ok "refuses $f: $(head -1 "$tmp/e")"
    else
        not_ok "$f: exit $code, message: $(head -1 "$tmp/e")"
    fi
}
# .npy classes (the array is named by the file: --V NAME)
refuse truncated.npy 'data: truncated' --V truncated
refuse trailing.npy 'extra bytes' --V trailing
refuse truncated-header.npy 'truncated header' --V truncated-header
refuse shape-lie.npy 'data: truncated' --V shape-lie
refuse bad-magic.npy 'bad magic' --V bad-magic
refuse version9.npy 'version 9' --V version9
refuse int64.npy 'dtype: only float64 and float32' --V int64
refuse complex.npy 'dtype: only float64 and float32' --V complex
refuse float16.npy 'dtype: only float64 and float32' --V float16
refuse object.npy 'object arrays are refused' --V object
refuse structured.npy 'structured arrays are refused' --V structured
refuse nan.npy 'NaN or Inf' --V nan
refuse inf.npy 'NaN or Inf' --V inf
# .npz classes
refuse V-1d.npz 'V: must be 2-D'
refuse a-wrong-length.npz 'a: shape (5,) does not fit'
refuse no-beta.npz 'beta: no such array'
refuse V-object.npz 'V: dtype: object arrays'
refuse not-a-zip.npz 'not a readable .npz'
refuse bomb-declared.npz 'V: declares 4294967040 uncompressed bytes.*before inflating'
refuse bomb-lying.npz 'V: the entry inflates to more than'
refuse no-beta.npz 'no such array' --loss square
expect_exit 2 "--loss must name a loss" "$POLARCERT" import --loss hinge "$good/problem.npz"
expect_exit 2 "a T that is not a positive number is refused" "$POLARCERT" import --T -1 "$good/problem.npz"

# good: the archive and the three .npy files give the same problem, which eval accepts
check "import problem.npz" "$POLARCERT" import --name p --note n -o "$tmp/z.json" "$good/problem.npz"
check "import V.npy a.npy beta.npy" "$POLARCERT" import --name p --note n -o "$tmp/y.json" \
    "$good/V.npy" "$good/a.npy" "$good/beta.npy"
check "the same problem either way" cmp -s "$tmp/z.json" "$tmp/y.json"
check "eval accepts the imported problem" "$POLARCERT" eval -o "$tmp/e.txt" "$tmp/z.json"
cp "$good/V.npy" "$tmp/W0.npy"; cp "$good/a.npy" "$tmp/logits.npy"; cp "$good/beta.npy" "$tmp/target.npy"
check "array names by option (--V, --a, --beta)" "$POLARCERT" import --name p --note n --V W0 \
    --a logits --beta target -o "$tmp/w.json" "$tmp/W0.npy" "$tmp/logits.npy" "$tmp/target.npy"
check "the same problem by other names" cmp -s "$tmp/z.json" "$tmp/w.json"
expect_exit 2 "--a naming a vector of the wrong length is refused" "$POLARCERT" import --a beta "$good/problem.npz"
finish
