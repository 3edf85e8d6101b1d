#!/usr/bin/env bash
# Adds FILES, ENVIRONMENT and EXAMPLES (docs/cadence.1.sections) to the root man page that
# swift-argument-parser's generate-manual wrote, before its EXIT STATUS section.
#   scripts/man-sections.sh PAGE
set -euo pipefail
page=$1
sections="$(dirname "$0")/../docs/cadence.1.sections"
grep -q '^\.Sh "EXIT STATUS"' "$page" || { echo "man-sections.sh: no EXIT STATUS section in $page" >&2; exit 1; }
awk -v file="$sections" '/^\.Sh "EXIT STATUS"/ { while ((getline line < file) > 0) print line } { print }' \
  "$page" >"$page.new"
mv "$page.new" "$page"
