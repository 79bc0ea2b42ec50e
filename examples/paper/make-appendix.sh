#!/bin/sh
# make paper: the worked example from the numpy files to the appendix.
#   .npz --polarcert import--> problem files --polarcert certify--> certificates
#   --polarcert-verify--> verdicts --polarcert report--> table.tex, fig-*.{tex,pdf,png}
#   --pdflatex (if installed)--> appendix.pdf
# Prints the time and size of every stage. Usage: make-appendix.sh SRCDIR BUILDDIR OUTDIR
set -e
src=$1 build=$2 out=$3
P="$build/src/polarcert" V="$build/verify/polarcert-verify" ex="$src/examples/paper"
mkdir -p "$out"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
size() { wc -c < "$1" | tr -d ' '; }

# name, loss, horizon T (square-10: T = 100, see README.md)
cases="logistic-8:logistic:1000000 square-10:square:100 crossent-5x6:cross_entropy:300"
printf '%-14s %10s %10s %12s %10s %14s\n' case import_s certify_s cert_bytes verify_s verdict
certs=
for c in $cases; do
    name=${c%%:*} rest=${c#*:}; loss=${rest%%:*} T=${rest#*:}
    t0=$(now)
    "$P" import --loss "$loss" --T "$T" -o "$out/$name.json" "$ex/$name.npz"
    t1=$(now)
    st=0; "$P" certify -o "$out/$name.cert.json" "$out/$name.json" > "$out/$name.certify.txt" || st=$?
    [ "$st" -le 1 ] || { cat "$out/$name.certify.txt"; exit 1; }   # 1: decrease not proven, still a certificate
    t2=$(now)
    "$V" "$out/$name.cert.json" > "$out/$name.verify.txt"
    t3=$(now)
    printf '%-14s %10s %10s %12s %10s %14s\n' "$name" "$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")" \
        "$(size "$out/$name.cert.json")" "$(secs "$t2" "$t3")" "$(grep -o 'VERIFIED\|REJECTED' "$out/$name.verify.txt" | head -1)"
    certs="$certs $out/$name.cert.json"
done
t0=$(now)
"$P" report --figure "$out/fig" -o "$out/table.tex" --json "$out/report.json" --csv "$out/report.csv" $certs
t1=$(now)
echo "report (table, 3 figures as .tex/.pdf/.png, json, csv): $(secs "$t0" "$t1") s"
cp "$ex/appendix.tex" "$out/appendix.tex"
if command -v pdflatex > /dev/null; then
    t0=$(now)
    (cd "$out" && pdflatex -interaction=nonstopmode -halt-on-error appendix.tex > appendix.latex.log 2>&1) \
        || { tail -20 "$out/appendix.latex.log"; exit 1; }
    t1=$(now)
    echo "pdflatex appendix.tex: $(secs "$t0" "$t1") s, $(size "$out/appendix.pdf") bytes"
else
    echo "pdflatex not installed: appendix.tex not compiled"
fi
ls -l "$out"/table.tex "$out"/fig-*.png "$out"/fig-*.pdf
