#!/bin/sh
# polarcert search: the store (certs/STORE.md) and the run loop.
#  - kill -9 at several random moments, then a restart: the final store holds
#    the same results as an uninterrupted run (the CSV report without its time
#    columns), every instance once, integrity_check ok;
#  - one worker and -j 3 give the same instances and verdicts;
#  - a file that is not a polarcert store, a store of another schema, and a
#    store of another campaign are refused (exit 2) and left unchanged;
#  - bad campaigns and usage refused with nothing written; a second writer
#    refused; export writes the problem and the certificate, which
#    polarcert-verify accepts against each other, and refuses a damaged blob;
#  - a search that finds nothing says "No counterexample among N instances".
# The random kill moments come from PC_KILL_SEED (default: the clock) and are
# printed, so that a failure can be repeated.
. "$(dirname "$0")/cli-lib.sh"
: "${PC_SRCDIR:?}" "${POLARCERT_VERIFY:?}"
export POLARCERT_VERIFY
camp=$PC_SRCDIR/tests/store
PY=$(command -v python3)

# the CSV report without its three time columns (the last ones)
report_nt() { "$POLARCERT" search report --store "$1" --format csv | sed 's/,[^,]*,[^,]*,[^,]*$//'; }
run() { "$POLARCERT" search run "$@" >"$tmp/run.out" 2>"$tmp/run.err"; }
now() { date +%s.%N; }

# ---- an uninterrupted run, the reference -----------------------------------------
t0=$(now)
check "uninterrupted run of the kill campaign" run --store "$tmp/ref.db" --campaign "$camp/kill.json"
t1=$(now)
report_nt "$tmp/ref.db" >"$tmp/ref.csv"
n=$(awk -F'"instances": ' 'NF > 1 { print $2 + 0 }' "$camp/kill.json")
check "the report has one row per instance ($n)" test "$(wc -l <"$tmp/ref.csv")" -eq $((n + 1))
check "some candidates confirmed and VERIFIED by the checker" \
    grep -q 'CONFIRMED\|,1,REFUTED,.*,VERIFIED,' "$tmp/ref.csv"
check "the run's summary says the certificates were VERIFIED" \
    grep -q 'certified counterexamples (6 VERIFIED by polarcert-verify)' "$tmp/run.out"
# confirm policy best 6: the confirmed are the 6 candidates of largest score
check "the 6 candidates checked rigorously are those of the largest scores" \
    awk -F, '$2 == "candidate" { if ($6 != "") { n++; if (lo == "" || $3 + 0 < lo) lo = $3 + 0 }
                                 else if (hi == "" || $3 + 0 > hi) hi = $3 + 0 }
             END { exit !(n == 6 && (hi == "" || lo >= hi)) }' "$tmp/ref.csv"

# ---- kill -9 at random moments, then finish ----------------------------------------
seed=${PC_KILL_SEED:-$(date +%s)}
dur=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
# two early moments (creation, screening), the rest anywhere in the run
delays=$(awk -v s="$seed" -v d="$dur" 'BEGIN { srand(s); printf "%.3f %.3f", rand() * 0.05, 0.05 + rand() * 0.2;
                                               for (i = 0; i < 4; i++) printf " %.3f", rand() * d * 0.7 }')
echo "# kill -9 at $delays s (PC_KILL_SEED=$seed; the uninterrupted run took $dur s)"
k=0
for d in $delays; do
    k=$((k + 1))
    jobs=$((1 + k % 2))
    # the campaign is given every time: it creates the store or must match it
    "$POLARCERT" search run --store "$tmp/k.db" --campaign "$camp/kill.json" -j $jobs \
        >/dev/null 2>&1 &
    pid=$!
    sleep "$d"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if [ -e "$tmp/k.db" ]; then
        expect_exit 0 "killed after $d s (-j $jobs): the store is sound" \
            "$POLARCERT" search status --store "$tmp/k.db"
        grep '^screened\|^confirmed' "$tmp/out" | sed 's/^/#   /'
    else
        ok "killed after $d s (-j $jobs): before the store existed, and there is none"
    fi
done
check "resumed after the kills, without --campaign" run --store "$tmp/k.db"
report_nt "$tmp/k.db" >"$tmp/k.csv"
check "the final store holds the same results as the uninterrupted run" cmp "$tmp/ref.csv" "$tmp/k.csv"
check "every instance once" test "$(cut -d, -f1 "$tmp/k.csv" | sed 1d | sort -n | uniq | wc -l)" -eq "$n"
check "no instance twice" test -z "$(cut -d, -f1 "$tmp/k.csv" | sort | uniq -d)"
expect_exit 0 "integrity_check ok" "$POLARCERT" search status --store "$tmp/k.db"
check "status says integrity ok" grep -q '^integrity  ok' "$tmp/out"
check "a run on a finished store does nothing and succeeds" run --store "$tmp/k.db"
report_nt "$tmp/k.db" >"$tmp/k2.csv"
check "and changes nothing" cmp "$tmp/k.csv" "$tmp/k2.csv"

# ---- a worker killed: the run stops and says which instance; a resume finishes ------
# a checker slowed down by 1 s keeps both workers inside a confirmation when
# one of them is killed
printf '#!/bin/sh\nsleep 1\nexec "%s" "$@"\n' "$POLARCERT_VERIFY" >"$tmp/slow.sh"
chmod +x "$tmp/slow.sh"
if command -v pgrep >/dev/null 2>&1; then
    POLARCERT_VERIFY="$tmp/slow.sh" "$POLARCERT" search run --store "$tmp/wk.db" \
        --campaign "$camp/kill.json" -j 2 >"$tmp/wk.out" 2>"$tmp/wk.err" &
    pid=$!
    # the screen phase is over when the first confirmation is being checked
    for _ in $(seq 1 100); do
        pgrep -f "$tmp/slow.sh" >/dev/null 2>&1 && break
        sleep 0.1
    done
    child=$(pgrep -P $pid | head -1)
    [ -n "$child" ] && kill -9 "$child"
    wait $pid
    st=$?
    check "a killed worker stops the run (exit 1)" test "$st" -eq 1
    check "naming the worker and its instance" \
        grep -q 'ended without its result (it was computing instance [0-9]*)' "$tmp/wk.err"
    check "the run resumes" run --store "$tmp/wk.db"
    report_nt "$tmp/wk.db" >"$tmp/wk.csv"
    check "to the same results" cmp "$tmp/ref.csv" "$tmp/wk.csv"
else
    echo "# pgrep missing: a killed worker not tested"
fi

# ---- the same results for any number of workers ------------------------------------
check "-j 3" run --store "$tmp/j3.db" --campaign "$camp/kill.json" -j 3
report_nt "$tmp/j3.db" >"$tmp/j3.csv"
check "-j 3 gives the same instances and verdicts as one worker" cmp "$tmp/ref.csv" "$tmp/j3.csv"

# ---- files that are not polarcert stores: refused, unchanged ------------------------
refuse() { # refuse FILE DESCRIPTION: every command exits 2 and FILE is unchanged
    f=$1 d=$2
    cp "$f" "$tmp/before" 2>/dev/null || : >"$tmp/before"
    expect_exit 2 "$d: run refused" "$POLARCERT" search run --store "$f"
    check "$d: the message says why" grep -q 'not a polarcert store' "$tmp/err"
    expect_exit 2 "$d: status refused" "$POLARCERT" search status --store "$f"
    expect_exit 2 "$d: report refused" "$POLARCERT" search report --store "$f"
    check "$d: the file is unchanged" cmp "$f" "$tmp/before"
}
printf 'hello, I am a text file\n' >"$tmp/text.db"
refuse "$tmp/text.db" "a text file"
: >"$tmp/empty.db"
refuse "$tmp/empty.db" "an empty file"
cp "$PC_CASES/logistic-uniform-8.json" "$tmp/problem.db"
refuse "$tmp/problem.db" "a problem file"
if [ -n "$PY" ] && "$PY" -c 'import sqlite3' 2>/dev/null; then
    "$PY" - "$tmp/other-app.db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("create table t (x)"); c.commit()
EOF
    refuse "$tmp/other-app.db" "an SQLite database of another program"
    cp "$tmp/ref.db" "$tmp/v2.db"
    "$PY" - "$tmp/v2.db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("update meta set value = '2' where key = 'schema_version'"); c.commit()
EOF
    refuse "$tmp/v2.db" "a store of schema version 2"
    check "whose version is named" grep -q 'schema_version 2' "$tmp/err"
    cp "$tmp/ref.db" "$tmp/campaign-edited.db"
    "$PY" - "$tmp/campaign-edited.db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("update campaign set text = replace(text, ?, ?)", ('"seed": "9"', '"seed": "8"')); c.commit()
EOF
    refuse "$tmp/campaign-edited.db" "a store whose campaign text was edited"
    # a damaged certificate blob is refused on export
    cp "$tmp/ref.db" "$tmp/blob.db"
    i=$("$PY" - "$tmp/blob.db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
i, b = c.execute("select idx, cert from confirmation where cert is not null order by idx").fetchone()
c.execute("update confirmation set cert = ? where idx = ?", (bytes(b).replace(b"entropy", b"ENTROPY", 1), i))
c.commit(); print(i)
EOF
)
    expect_exit 2 "export of a damaged certificate refused" \
        "$POLARCERT" search export --store "$tmp/blob.db" --instance "$i" --certificate "$tmp/bad.cert.json"
    check "because its SHA-256 differs" grep -q 'does not match its SHA-256' "$tmp/err"
    check "and nothing is written" test ! -e "$tmp/bad.cert.json"
else
    echo "# python3 with sqlite3 missing: hostile SQLite files not tested"
fi
mkdir "$tmp/dir.db"
expect_exit 2 "a directory is refused" "$POLARCERT" search status --store "$tmp/dir.db"

# ---- another campaign, missing campaign, bad campaign -----------------------------------
report_nt "$tmp/ref.db" >"$tmp/before.csv"
expect_exit 2 "a store of another campaign is refused" \
    "$POLARCERT" search run --store "$tmp/ref.db" --campaign "$camp/other.json"
check "the message says so" grep -q 'created with another campaign' "$tmp/err"
report_nt "$tmp/ref.db" >"$tmp/after.csv"
check "and the store is unchanged" cmp "$tmp/before.csv" "$tmp/after.csv"
expect_exit 2 "no store and no campaign" "$POLARCERT" search run --store "$tmp/none.db"
check "nothing created" test ! -e "$tmp/none.db"
printf '{"format": "polarcert-campaign/9"}\n' >"$tmp/badc.json"
expect_exit 2 "a bad campaign file" "$POLARCERT" search run --store "$tmp/bad.db" --campaign "$tmp/badc.json"
check "no store created for it" sh -c "! ls '$tmp'/bad.db* 2>/dev/null | grep -q ."
expect_exit 2 "no --store" "$POLARCERT" search run --campaign "$camp/small.json"
expect_exit 2 "-j 0" "$POLARCERT" search run --store "$tmp/x.db" --campaign "$camp/small.json" -j 0
expect_exit 2 "an unknown search command" "$POLARCERT" search frobnicate --store "$tmp/ref.db"
expect_exit 2 "an option of another command" "$POLARCERT" search status --store "$tmp/ref.db" -j 2
expect_exit 2 "a bad --format" "$POLARCERT" search report --store "$tmp/ref.db" --format xml
expect_exit 0 "search --help" "$POLARCERT" search --help
check "the help names every command" sh -c "grep -q 'search run' '$tmp/out' && grep -q 'search export' '$tmp/out'"

# ---- one writer at a time ----------------------------------------------------------------
"$POLARCERT" search run --store "$tmp/w.db" --campaign "$camp/kill.json" >/dev/null 2>&1 &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    [ -e "$tmp/w.db" ] && break
    sleep 0.1
done
expect_exit 2 "a second writer is refused" "$POLARCERT" search run --store "$tmp/w.db"
check "saying another run is writing" grep -q 'another polarcert search run is writing' "$tmp/err"
expect_exit 0 "status reads the store while it is written" "$POLARCERT" search status --store "$tmp/w.db"
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null

# ---- report formats and export -------------------------------------------------------------
check "a small campaign" run --store "$tmp/s.db" --campaign "$camp/small.json"
expect_exit 0 "report (table)" "$POLARCERT" search report --store "$tmp/s.db"
check "the table says what was found" grep -q 'certified counterexample' "$tmp/out"
expect_exit 0 "report json" "$POLARCERT" search report --store "$tmp/s.db" --format json -o "$tmp/r.json"
if [ -n "$PY" ]; then
    check "the JSON parses, with one row per instance" "$PY" -c 'import json, sys
r = json.load(open(sys.argv[1])); assert r["format"] == "polarcert-search-report/1"
assert len(r["rows"]) == r["instances"] == 40 and r["screened"] == 40' "$tmp/r.json"
fi
expect_exit 0 "report latex" "$POLARCERT" search report --store "$tmp/s.db" --latex -o "$tmp/r.tex"
check "the LaTeX table has its rules" grep -q 'toprule' "$tmp/r.tex"
check "one LaTeX row per certified counterexample (4)" test "$(grep -c 'REFUTED.*VERIFIED' "$tmp/r.tex")" -eq 4
PDFLATEX=${PDFLATEX:-$(command -v pdflatex || true)}
if [ -n "$PDFLATEX" ]; then
    printf '%s\n' '\documentclass{article}\usepackage{booktabs}\begin{document}' \
        '\input{r.tex}\end{document}' >"$tmp/doc.tex"
    (cd "$tmp" && "$PDFLATEX" -interaction=nonstopmode -halt-on-error doc.tex >latex.log 2>&1)
    check "the LaTeX table compiles with pdflatex" test -s "$tmp/doc.pdf"
    check "without overfull boxes" sh -c "! grep -q Overfull '$tmp/doc.log'"
else
    echo "# pdflatex missing: the LaTeX table is not compiled"
fi
i=$(grep ',1,REFUTED,' "$tmp/ref.csv" | head -1 | cut -d, -f1)
expect_exit 0 "export instance $i and its certificate" "$POLARCERT" search export --store "$tmp/ref.db" \
    --instance "$i" -o "$tmp/p.json" --certificate "$tmp/c.json"
expect_exit 0 "polarcert-verify accepts the exported certificate against the exported problem" \
    "$POLARCERT_VERIFY" --problem "$tmp/p.json" "$tmp/c.json"
check "the exported certificate is the stored one (SHA-256)" \
    grep -q ",$(sha256sum "$tmp/c.json" | cut -c1-64)," "$tmp/ref.csv"
expect_exit 2 "an instance beyond the campaign" "$POLARCERT" search export --store "$tmp/ref.db" \
    --instance "$n" -o "$tmp/beyond.json"
check "writes nothing" test ! -e "$tmp/beyond.json"
j=$(grep ',clear,' "$tmp/ref.csv" | head -1 | cut -d, -f1)
expect_exit 2 "the certificate of an instance that has none" "$POLARCERT" search export \
    --store "$tmp/ref.db" --instance "$j" -o "$tmp/pj.json" --certificate "$tmp/cj.json"
check "writes neither file" test ! -e "$tmp/pj.json" -a ! -e "$tmp/cj.json"

# ---- the checker's verdict is the checker's: a checker that rejects, one that refuses ------
printf '#!/bin/sh\necho "REJECTED: step 3: test checker"\nexit 1\n' >"$tmp/reject.sh"
printf '#!/bin/sh\necho "limit exceeded: test checker"\nexit 2\n' >"$tmp/refuse.sh"
chmod +x "$tmp/reject.sh" "$tmp/refuse.sh"
expect_exit 1 "a certificate REJECTED by the checker fails the run" \
    env POLARCERT_VERIFY="$tmp/reject.sh" "$POLARCERT" search run --store "$tmp/rj.db" --campaign "$camp/small.json"
check "the summary warns that certifier and checker disagree" grep -q '^WARNING    4 certificates REJECTED' "$tmp/out"
check "and counts none VERIFIED" grep -q '(0 VERIFIED by polarcert-verify)' "$tmp/out"
check "the checker's message is stored" sh -c "'$POLARCERT' search report --store '$tmp/rj.db' --format csv | grep -q ',REJECTED,REJECTED: step 3: test checker,'"
expect_exit 0 "a checker that refuses to check (exit 2): the run completes" \
    env POLARCERT_VERIFY="$tmp/refuse.sh" "$POLARCERT" search run --store "$tmp/rf.db" --campaign "$camp/small.json"
check "the summary says 4 certificates were not checked" grep -q '^note       4 certificates not checked' "$tmp/out"
expect_exit 2 "a checker that does not exist: the run is refused" \
    env POLARCERT_VERIFY="$tmp/nonexistent" "$POLARCERT" search run --store "$tmp/nc.db" --campaign "$camp/small.json"
check "before the store is created" test ! -e "$tmp/nc.db"

# ---- nothing found ------------------------------------------------------------------------
check "a campaign with no candidate" run --store "$tmp/none.db" --campaign "$camp/none.json"
check "says: No counterexample among 20 instances" grep -q '^result     No counterexample among 20 instances$' "$tmp/run.out"
check "and that this is not a proof" grep -q 'not a proof' "$tmp/run.out"
finish
