#!/bin/sh
# polarcert report: the LaTeX table and the pgfplots figure compile with
# pdflatex into one A4 page, which pdftoppm renders at the expected size; the
# PLplot PDF and PNG are written (PNG of the documented size); JSON and CSV
# hold the band; a damaged certificate is refused. Skipped (exit 77) without
# pdflatex or pdftoppm; CI installs them (.ci/install-deps).
. "$(dirname "$0")/cli-lib.sh"
: "${PC_CERTS:?}"
PDFLATEX=${PDFLATEX:-$(command -v pdflatex)}
PDFTOPPM=${PDFTOPPM:-$(command -v pdftoppm)}
cert="$PC_CERTS/logistic-skewed-a-8.cert.json"

# width x height of a PNG, from its IHDR chunk
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'; }

check "report writes the table and the figure" "$POLARCERT" report --figure "$tmp/fig" -o "$tmp/table.tex" "$cert"
for f in table.tex fig.tex fig-standalone.tex fig.pdf fig.png; do
    check "$f written" test -s "$tmp/$f"
done
check "the PLplot PNG is 1200x720" test "$(png_size "$tmp/fig.png")" = 1200x720
check "the PLplot PDF is a PDF" grep -q '^%PDF-' "$tmp/fig.pdf"
check "the table has the booktabs rules" grep -q 'toprule' "$tmp/table.tex"
check "the table's footnote gives the command that re-checks the file" \
    grep -q 'polarcert-verify logistic-skewed-a-8.cert.json' "$tmp/table.tex"
check "the figure labels the float preview as not rigorous" grep -q 'not rigorous' "$tmp/fig.tex"
check "the figure is log-scaled in time (T = 10^4)" grep -q 'xmode=log' "$tmp/fig.tex"

"$POLARCERT" report --format csv -o "$tmp/band.csv" "$cert"
check "csv: one band row per piece (8 per step) and 200 preview rows" \
    test "$(grep -c ',band,' "$tmp/band.csv")" -gt 100 -a "$(grep -c ',preview_not_rigorous,' "$tmp/band.csv")" -eq 200
check "csv: every band row has H_lo <= H_hi" \
    awk -F, '$2 == "band" && $5 + 0 > $6 + 0 { bad = 1 } END { exit bad }' "$tmp/band.csv"
check "json output" "$POLARCERT" report --format json -o "$tmp/r.json" "$cert"
check "json: the format tag" grep -q '"polarcert-report/1"' "$tmp/r.json"

sed "s/\"bound\": \"[0-9]/\"bound\": \"9/" "$cert" > "$tmp/damaged.json"
check "the damaged copy differs" sh -c "! cmp -s \"$cert\" \"$tmp/damaged.json\""
expect_exit 2 "a damaged certificate is refused" "$POLARCERT" report -o "$tmp/x.tex" "$tmp/damaged.json"
check "and nothing is written" test ! -e "$tmp/x.tex"

if [ -z "$PDFLATEX" ] || [ -z "$PDFTOPPM" ]; then
    echo "SKIP: pdflatex or pdftoppm missing (apt-get install texlive-latex-base" \
         "texlive-latex-recommended texlive-pictures poppler-utils)"
    finish; exit 77
fi
cat > "$tmp/doc.tex" <<'TEX'
\documentclass[a4paper]{article}
\usepackage{booktabs,graphicx,pgfplots}
\pgfplotsset{compat=1.16}
\begin{document}
\input{table.tex}
\begin{figure}[ht]\centering\input{fig.tex}\caption{The entropy.}\end{figure}
\end{document}
TEX
(cd "$tmp" && "$PDFLATEX" -interaction=nonstopmode -halt-on-error doc.tex >latex.log 2>&1)
check "table and figure compile with pdflatex" test -s "$tmp/doc.pdf"
check "no overfull boxes" sh -c "! grep -q 'Overfull' '$tmp/doc.log'"
(cd "$tmp" && "$PDFLATEX" -interaction=nonstopmode -halt-on-error fig-standalone.tex >latex2.log 2>&1)
check "the standalone figure compiles" test -s "$tmp/fig-standalone.pdf"
"$PDFTOPPM" -r 72 -png -singlefile "$tmp/doc.pdf" "$tmp/page"
size=$(png_size "$tmp/page.png")
check "pdftoppm renders one A4 page at 72 dpi: 595x842 ($size; poppler may round up)" \
    test "$size" = 595x842 -o "$size" = 596x842
"$PDFTOPPM" -r 72 -png -f 2 -singlefile "$tmp/doc.pdf" "$tmp/page2" 2>/dev/null
check "and there is no second page" test ! -e "$tmp/page2.png"
# a certificate's name names no other directory: "../evil" becomes "___evil"
mkdir "$tmp/sub"
sed 's/"name": *"[^"]*"/"name": "..\/evil"/' "$PC_CASES/logistic-skewed-a-8.json" >"$tmp/sub/evil.json"
"$POLARCERT" certify --T 0.5 -o "$tmp/sub/evil.cert.json" "$tmp/sub/evil.json" >/dev/null 2>&1
check "a hostile name is certified as it is" grep -q '"\.\./evil"' "$tmp/sub/evil.cert.json"
check "report of two certificates, one named ../evil" \
    "$POLARCERT" report --figure "$tmp/sub/f" -o "$tmp/sub/t.tex" "$cert" "$tmp/sub/evil.cert.json"
check "its figure is written under the prefix, with the name's '/' and '.' replaced" \
    test -s "$tmp/sub/f-___evil.png"
check "and nothing outside it" test ! -e "$tmp/evil.png" -a ! -e "$tmp/sub/f-../evil.png"
finish
