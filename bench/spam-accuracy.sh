#!/usr/bin/env bash
# Spam accuracy and speed, Sluice's built-in classifier against SpamAssassin 4, on the held-out
# split of the SpamAssassin public corpus (PRODUCT.md, "Spam corpus split"). Both systems learn
# from the same training split only. See bench/README.md.
#
#   bench/spam-accuracy.sh        # about 10 minutes on 2 cores; needs root for apt-get and spamd -u
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/spam/lib.sh"
SA_CHILDREN=${SA_CHILDREN:-$(nproc)}
SA_CLIENTS=${SA_CLIENTS:-$((2 * SA_CHILDREN))}
SLUICE_THREADS=${SLUICE_THREADS:-$(nproc)}
SHIPPED=$ROOT/core/src/main/resources/sluice/core/filter/spam/model.tsv.gz
WORK=$(mktemp -d /tmp/spam-accuracy.XXXXXX)
chmod 755 "$WORK"
SPAMD_PID=
cleanup() {
  if [[ -n $SPAMD_PID ]]; then kill "$SPAMD_PID" 2>/dev/null || true; wait "$SPAMD_PID" 2>/dev/null || true; fi
  [[ ${KEEP:-0} == 1 ]] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# 1. Corpus
fetch_corpus

# 2. Sluice: retrain from the training split and check it is the shipped model, byte for byte.
build_core
log "training Sluice's model on the training split"
"$JAVA" -cp "$SPAM_CP" sluice.core.filter.spam.Train "$CORPUS_DATA" "$WORK/model.tsv.gz" 2> "$WORK/train.log"
cat "$WORK/train.log" >&2
trained=$(sha256sum < "$WORK/model.tsv.gz" | cut -d' ' -f1)
shipped=$(sha256sum < "$SHIPPED" | cut -d' ' -f1)
if [[ $trained != "$shipped" ]]; then
  echo "the retrained model ($trained) differs from the shipped one ($shipped): run bench/train-spam-model.sh" >&2
  exit 1
fi
log "retrained model == shipped model (sha256 $shipped)"

# 3. Sluice scores the held-out split (per-message lines on stdout, throughput on stderr).
log "Sluice: scoring the held-out split ($SLUICE_THREADS threads)"
"$JAVA" -cp "$SPAM_CP" sluice.core.filter.spam.ScoreCorpus "$CORPUS_DATA" "$SHIPPED" "$SLUICE_THREADS" \
    > "$WORK/sluice.tsv" 2> "$WORK/sluice.err"
cat "$WORK/sluice.err" >&2
sluice_rate=$(sed -n 's/.*msgs_per_sec=\([0-9.]*\).*/\1/p' "$WORK/sluice.err")

# 4. SpamAssassin: same training split, stripped of the mbox "From " line like Sluice reads it.
command -v spamd >/dev/null || { log "installing spamassassin"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spamassassin spamc >&2; }
split_copy() { # group all|le|gt(id vs 125) dest-dir
  local g=$1 sel=$2 dest=$3
  mkdir -p "$dest"
  for f in "$CORPUS_DATA/$g"/*.txt; do
    local n=${f##*/}
    local id=$((10#${n%%.*}))
    if [[ $sel == le && $id -gt 125 ]] || [[ $sel == gt && $id -le 125 ]]; then continue; fi
    sed '1{/^From /d}' "$f" > "$dest/$g.$n"
  done
}
split_copy easy-ham-1 all "$WORK/train/ham"; split_copy hard-ham-1 le "$WORK/train/ham"
split_copy spam-1 all "$WORK/train/spam"
split_copy easy-ham-2 all "$WORK/test/ham"; split_copy hard-ham-1 gt "$WORK/test/ham"
split_copy spam-2 all "$WORK/test/spam"
ntrain_spam=$(ls "$WORK/train/spam" | wc -l); ntrain_ham=$(ls "$WORK/train/ham" | wc -l)

SITE=$WORK/sa/site
mkdir -p "$SITE" "$WORK/sa/bayes"
cp /etc/spamassassin/*.pre /etc/spamassassin/*.cf "$SITE/"
cat >> "$SITE/local.cf" <<CF

# --- spam-accuracy.sh: local tests only, Bayes from the training split, no learning while scoring
use_bayes 1
use_bayes_rules 1
bayes_path $WORK/sa/bayes/bayes
bayes_file_mode 0777
bayes_auto_learn 0
bayes_auto_expire 0
skip_rbl_checks 1
required_score 5.0
CF
touch "$WORK/sa/user_prefs"
SA_ARGS=(--siteconfigpath="$SITE" --prefspath="$WORK/sa/user_prefs" -L)
log "SpamAssassin $(spamassassin -V | head -1 | awk '{print $3}'): sa-learn on $ntrain_spam spam, $ntrain_ham ham"
# sa-learn skips a message whose Message-ID (and a few headers) it has already learned: spam-1
# holds a few such duplicates. Check that it examined every training message, learned the rest,
# and that the database it will score with holds exactly what it learned.
learn() { # --spam|--ham dir expected
  local out; out=$(sa-learn "${SA_ARGS[@]}" "$1" "$2")
  echo "sa-learn $1: $out" >&2
  local learned examined
  learned=$(echo "$out" | sed -n 's/Learned tokens from \([0-9]*\) message.*/\1/p')
  examined=$(echo "$out" | sed -n 's/.*(\([0-9]*\) message(s) examined).*/\1/p')
  if [[ $examined != "$3" || $learned -lt $(( $3 * 98 / 100 )) ]]; then
    echo "sa-learn $1 examined $examined and learned $learned of $3 training messages" >&2; exit 1
  fi
  echo "$learned"
}
sa_spam=$(learn --spam "$WORK/train/spam" "$ntrain_spam")
sa_ham=$(learn --ham "$WORK/train/ham" "$ntrain_ham")
magic=$(sa-learn "${SA_ARGS[@]}" --dump magic)
echo "$magic" | grep -E 'nspam|nham' >&2
nspam=$(echo "$magic" | awk '/non-token data: nspam/ {print $3}')
nham=$(echo "$magic" | awk '/non-token data: nham/ {print $3}')
if [[ $nspam != "$sa_spam" || $nham != "$sa_ham" ]]; then
  echo "SpamAssassin's Bayes database holds nspam=$nspam nham=$nham, but sa-learn learned $sa_spam / $sa_ham" >&2
  exit 1
fi
log "SpamAssassin Bayes verified: nspam=$nspam nham=$nham (of $ntrain_spam / $ntrain_ham examined)"
chmod -R a+rwX "$WORK/sa"

SA_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SA_PORT
log "spamd: $SA_CHILDREN children on 127.0.0.1:$SA_PORT, $SA_CLIENTS concurrent spamc clients"
spamd --siteconfigpath="$SITE" -L -x -u nobody -i 127.0.0.1 -A 127.0.0.1 -p "$SA_PORT" --max-children "$SA_CHILDREN" \
    --min-children "$SA_CHILDREN" --min-spare 0 --max-spare "$SA_CHILDREN" -s stderr 2> "$WORK/spamd.log" &
SPAMD_PID=$!
for _ in $(seq 120); do spamc -d 127.0.0.1 -p "$SA_PORT" -K >/dev/null 2>&1 && break; sleep 1; done
spamc -d 127.0.0.1 -p "$SA_PORT" -K >/dev/null || { echo "spamd did not start; see its log:" >&2; tail -20 "$WORK/spamd.log" >&2; exit 1; }
ls "$WORK"/test/*/* > "$WORK/test.list"
head -n 100 "$WORK/test.list" | xargs -P "$SA_CLIENTS" -n 1 "$ROOT/bench/spam/sa-score.sh" > /dev/null  # warm-up
log "SpamAssassin: scoring the held-out split"
start=$(date +%s.%N)
xargs -P "$SA_CLIENTS" -n 1 "$ROOT/bench/spam/sa-score.sh" < "$WORK/test.list" > "$WORK/sa.tsv"
end=$(date +%s.%N)
ntest=$(wc -l < "$WORK/test.list")
sa_rate=$(awk -v n="$ntest" -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", n / (b - a) }')
# Check Bayes took part: BAYES_* rules must appear on scored messages.
bayes_hits=$(spamc -d 127.0.0.1 -p "$SA_PORT" -s 20000000 -R < "$(grep -m 1 /test/spam/ "$WORK/test.list")" | grep -c 'BAYES_' || true)
[[ $bayes_hits -gt 0 ]] || { echo "SpamAssassin did not use Bayes while scoring (no BAYES_ rule in the report)" >&2; exit 1; }

# 5. Results.
sa_rows=$(awk -F'\t' '{ split($1, p, "."); print p[1], $1, (p[1] ~ /^spam/ ? "spam" : "ham"), $2 }' "$WORK/sa.tsv")
sa=$(echo "$sa_rows" | awk -v THRESHOLD=5.0 -f "$ROOT/bench/spam/metrics.awk")
sluice=$(awk -F'\t' '{ print $1, $2, $3, ($4 >= 5 ? 1 : 0) }' "$WORK/sluice.tsv" | awk -v THRESHOLD=1 -f "$ROOT/bench/spam/metrics.awk")
sa_unscored=$(awk -F'\t' '$2 == "" || $2 == "0" {n++} END {print n + 0}' "$WORK/sa.tsv")
row() { # name "spam caught ham fp" rate
  read -r s c h f <<< "$2"
  awk -v n="$1" -v s="$s" -v c="$c" -v h="$h" -v f="$f" -v r="$3" 'BEGIN {
    printf "| %-28s | %6.2f%% (%d/%d) | %5.2f%% (%d/%d) | %8.1f |\n", n, 100 * c / s, c, s, 100 * f / h, f, h, r }'
}
echo
echo "Held-out split: $(wc -l < "$WORK/sluice.tsv") messages; training split: $ntrain_spam spam, $ntrain_ham ham (SA Bayes learned $nspam / $nham). $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -r)"
echo
echo "| system                       | spam recall        | ham FP rate        | msgs/s   |"
echo "|------------------------------|--------------------|--------------------|----------|"
row "Sluice (SCL >= 5, $SLUICE_THREADS threads)" "$sluice" "$sluice_rate"
row "SpamAssassin 4 (>= 5.0, spamd x$SA_CHILDREN)" "$sa" "$sa_rate"
echo
awk -v a="$sluice_rate" -v b="$sa_rate" 'BEGIN { printf "Throughput ratio Sluice / SpamAssassin: %.1fx\n", a / b }'
echo "SpamAssassin messages with score 0 or no answer (check spamd.log if not ~0): $sa_unscored"
