#!/usr/bin/env bash
# bench/relay.sh - relay throughput of Sluice and of Postfix, same machine, same run, same sink.
#
# For each system: N copies of one realistic, DKIM-signed text message (body of about SIZE bytes,
# bench/relay-body.txt) sent by postfix's smtp-source (-F) over SESSIONS concurrent sessions,
# relayed for bench.example to postfix's smtp-sink; the clock runs from the start of smtp-source
# until the sink has counted all N. Both systems sync a message to disk before `250` (Sluice: SQLite
# synchronous=FULL; Postfix: cleanup fsyncs the queue file). Then a small client of our own times
# final dot -> 250 over SESSIONS concurrent sessions (p50/p99) for both.
#
# PROTECTION=on (default): Sluice runs its whole protection pipeline on every message:
# connection filtering, anti-malware, SPF/DKIM/DMARC against a private dnsmasq that publishes
# example.net's SPF, DKIM key and DMARC p=reject, and anti-spam. The script fails unless every
# message passed it clean: no junk/quarantine/reject/defer events in Sluice's metrics, and a
# sample relayed to a dumping sink shows spf=pass, dkim=pass, dmarc=pass and SCL < 5 (printed).
# DNS_TTL (default 0) is the TTL dnsmasq gives those records: 0 makes every message ask the DNS
# server again (Sluice caches by TTL, and a TTL of 0 is never kept); 300 is what real domains
# publish, and then Sluice's cache answers nearly every look-up.
# Postfix relays the same messages without any checks (plain relay).
# PROTECTION=off: Sluice's protection.enabled is false, so both systems do the same work (issue 2's
# core benchmark: receive durably, route, deliver); the header check is skipped.
#
# Usage: bench/relay.sh            (as root; loopback only; env: N SESSIONS SIZE WARMUP LAT_N TIMEOUT
#                                   ORDER=postfix,sluice, DNS_TTL, KEEP=1 keeps the temp dir,
#                                   JFR=FILE records a JFR profile of Sluice's timed phase,
#                                   SAMPLE messages relayed to a dumping sink for the header check)
# Output: progress on stderr, the result table on stdout. Exit 0 only when every phase delivered
# every message within TIMEOUT.
set -euo pipefail

PROTECTION=${PROTECTION:-on}   # on: Sluice's whole protection pipeline; off: the core alone
DNS_TTL=${DNS_TTL:-0}          # TTL of the benchmark's DNS records (0: every message looks them up)
case "$PROTECTION" in on|off) ;; *) echo "PROTECTION must be on or off" >&2; exit 2 ;; esac
N=${N:-5000}              # messages in the timed phase
SESSIONS=${SESSIONS:-20}  # concurrent client sessions
SIZE=${SIZE:-4096}        # payload bytes (smtp-source -l); headers come on top
WARMUP=${WARMUP:-500}     # messages sent and delivered before the clock starts (JIT, caches, slow start)
LAT_N=${LAT_N:-1000}      # messages in the dot->250 latency phase
TIMEOUT=${TIMEOUT:-300}   # seconds per phase before it counts as failed
SAMPLE=${SAMPLE:-20}      # Sluice only: messages relayed to a dumping sink whose headers are checked
SENDER=sender@example.net
RCPT=rcpt@bench.example
HELO=mail.example.net     # smtp-source -M and the latency client's EHLO
TOKEN=bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

log() { printf '[relay.sh %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (smtp-sink drops privileges; a private Postfix instance needs root)"
for c in smtp-source smtp-sink postfix postconf python3 curl ss dnsmasq openssl; do
  command -v "$c" >/dev/null || die "missing command: $c (apt-get install postfix python3 curl iproute2 dnsmasq-base openssl)"
done

tmp=$(mktemp -d /tmp/sluice-relay-bench.XXXXXX)
chmod 755 "$tmp"          # Postfix daemons (user postfix) must traverse to their queue directory
sluice_pid= ; pf_started= ; sink_pids=() ; src_pid= ; dns_pid=
failures=()

stop_pid() {  # stop_pid PID SECONDS: TERM, wait, then KILL; only the given process
  local pid=$1 t=$2 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < t * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "pid $pid did not stop within ${t}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  set +e
  [ -n "$src_pid" ] && stop_pid "$src_pid" 2
  if [ -n "$sluice_pid" ]; then log "stopping Sluice (pid $sluice_pid)"; stop_pid "$sluice_pid" 30; fi
  if [ -n "$pf_started" ]; then
    log "stopping the benchmark Postfix instance"
    postfix -c "$tmp/postfix/etc" stop >/dev/null 2>&1 || postfix -c "$tmp/postfix/etc" abort >/dev/null 2>&1
    local m; m=$(cat "$tmp/postfix/spool/pid/master.pid" 2>/dev/null | tr -d ' ')
    [ -n "$m" ] && stop_pid "$m" 10
  fi
  for p in "${sink_pids[@]}"; do stop_pid "$p" 5; done
  [ -n "$dns_pid" ] && stop_pid "$dns_pid" 5
  if [ "${KEEP:-0}" = 1 ]; then log "kept $tmp"; else rm -rf "$tmp"; fi
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# A free loopback port. Checked against listening sockets too: smtp-sink and Postfix listen with
# SO_REUSEPORT, so a stale listener on the same port would silently take half the connections.
free_port() {
  local p
  while :; do
    p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    [ -z "$(ss -Hltun "sport = :$p")" ] && { echo "$p"; return; }   # TCP and UDP (dnsmasq uses both)
  done
}

wait_banner() {  # wait_banner PORT SECONDS: until a 220 greeting arrives
  local port=$1 t=$2 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if python3 - "$port" <<'EOF' 2>/dev/null; then return 0; fi
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
ok = s.recv(512).startswith(b"220")
s.sendall(b"QUIT\r\n"); s.close()
sys.exit(0 if ok else 1)
EOF
    sleep 0.2
  done
  return 1
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

# ---------------------------------------------------------------------------------------------
# 1. Build
stale() {
  local jar="$repo/server/target/sluice.jar"
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$repo" -path "$repo/.git" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
          -newer "$jar" -print -quit 2>/dev/null)" ]
}
if stale; then
  log "building Sluice (./mvnw -q -B -DskipTests package)"
  (cd "$repo" && ./mvnw -q -B -DskipTests package) >&2 || die "build failed"
fi

# ---------------------------------------------------------------------------------------------
# 2. Sinks: one smtp-sink per system, identical options, so every count is attributed exactly.
# -c prints "sess=.. quit=.. mesg=.." (CR-separated) each time a "." is received.
start_sink() {  # start_sink NAME [SMTP-SINK OPTIONS] -> sets SINK_PORT
  local name=$1 port; shift; port=$(free_port)
  smtp-sink -u nobody -c -m 512 "$@" "127.0.0.1:$port" 1024 >"$tmp/sink-$name.out" 2>&1 &
  sink_pids+=($!)
  wait_banner "$port" 10 || die "smtp-sink for $name did not start (see $tmp/sink-$name.out)"
  SINK_PORT=$port
}
sink_count() {  # sink_count NAME: messages the sink has received so far
  local c
  c=$(tail -c 256 "$tmp/sink-$1.out" 2>/dev/null | tr '\r' '\n' | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2)
  echo "${c:-0}"
}

# ---------------------------------------------------------------------------------------------
# 3. The message and the DNS. smtp-source's own message (no Subject, lines of "XXXX") scores SCL 5
# with Sluice's classifier and would be junked, so both systems get the same realistic text mail
# instead: meeting notes cut to about SIZE bytes, DKIM-signed (rsa-sha256, relaxed/relaxed,
# d=example.net; s=bench) with a key made for this run. The file has LF line ends: smtp-source -F
# sends each line with CRLF; the latency client does the same.
msg_file=$tmp/message.txt
openssl genrsa -out "$tmp/dkim.key" 2048 2>/dev/null || die "openssl genrsa failed"
dkim_p=$(openssl rsa -in "$tmp/dkim.key" -pubout -outform DER 2>/dev/null | base64 -w0)
[ -n "$dkim_p" ] || die "could not export the DKIM public key"
python3 - "$repo/bench/relay-body.txt" "$SIZE" "$SENDER" "$RCPT" "$tmp/dkim.key" "$msg_file" <<'EOF' || die "could not build the message"
import base64, email.utils, hashlib, os, re, subprocess, sys, time
body_file, size, sender, rcpt, key, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
text = [l.rstrip() for l in open(body_file).read().split("\n")]
body, n, i = [], 0, 0
while n + len(text[i % len(text)]) + 2 <= size:       # whole lines, CRLF counted, repeated if SIZE is large
    body.append(text[i % len(text)]); n += len(text[i % len(text)]) + 2; i += 1
while body and body[-1] == "": body.pop()
headers = [("From", f"Dana Whitfield <{sender}>"), ("To", f"<{rcpt}>"),
           ("Subject", "Notes from Tuesday's planning meeting"), ("Date", email.utils.formatdate()),
           ("Message-ID", f"<{os.urandom(8).hex()}.notes@example.net>"), ("MIME-Version", "1.0"),
           ("Content-Type", "text/plain; charset=us-ascii"), ("Content-Transfer-Encoding", "7bit")]
relaxed_header = lambda name, value: name.lower() + ":" + re.sub(r"[ \t]+", " ", value.replace("\r\n", "")).strip() + "\r\n"
canon_body = "".join(re.sub(r"[ \t]+", " ", l).rstrip() + "\r\n" for l in body)
bh = base64.b64encode(hashlib.sha256(canon_body.encode()).digest()).decode()
signed = ":".join(h.lower() for h, _ in headers)
sig = (f"v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=bench;\r\n\tt={int(time.time())};"
       f" h={signed};\r\n\tbh={bh};\r\n\tb=")
data = "".join(relaxed_header(h, v) for h, v in headers) + relaxed_header("DKIM-Signature", sig)[:-2]
b = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=data.encode(), capture_output=True, check=True).stdout
sig += base64.b64encode(b).decode()
lines = [f"DKIM-Signature: {sig}"] + [f"{h}: {v}" for h, v in headers] + [""] + body
with open(out, "w") as f: f.write("\n".join(lines).replace("\r\n", "\n") + "\n")
print(f"message: {len(body)} body lines, {n} body bytes", file=sys.stderr)
EOF
chmod 644 "$msg_file"

# A private dnsmasq answers Sluice's look-ups: SPF, DKIM key and DMARC of example.net, with TTL
# DNS_TTL. With the default 0 Sluice's DNS cache keeps nothing, so every message costs its real
# look-ups (SPF TXT, DKIM key TXT, DMARC TXT); with DNS_TTL=300 the cache answers them.
dns_port=$(free_port)
dnsmasq --keep-in-foreground --no-resolv --no-hosts --conf-file=/dev/null --pid-file= --log-facility=- \
  --port="$dns_port" --listen-address=127.0.0.1 --bind-interfaces --local-ttl="$DNS_TTL" \
  --txt-record="example.net,v=spf1 ip4:127.0.0.0/8 -all" \
  --txt-record="_dmarc.example.net,v=DMARC1; p=reject; adkim=r; aspf=r" \
  --txt-record="bench._domainkey.example.net,v=DKIM1; k=rsa; p=${dkim_p:0:200},${dkim_p:200}" \
  >"$tmp/dnsmasq.log" 2>&1 &
dns_pid=$!
for ((i = 0; i < 50; i++)); do [ -n "$(ss -Hlun "sport = :$dns_port")" ] && break; sleep 0.1; done
[ -n "$(ss -Hlun "sport = :$dns_port")" ] || { cat "$tmp/dnsmasq.log" >&2; die "dnsmasq did not start"; }
log "dnsmasq on 127.0.0.1:$dns_port (pid $dns_pid): example.net SPF ip4:127.0.0.0/8 -all, DKIM bench._domainkey, DMARC p=reject"
dns_answered() {  # queries dnsmasq has answered from its configuration so far (SIGUSR1 statistics)
  local before; before=$(grep -c 'queries answered locally' "$tmp/dnsmasq.log")
  kill -USR1 "$dns_pid"
  for ((i = 0; i < 50; i++)); do
    [ "$(grep -c 'queries answered locally' "$tmp/dnsmasq.log")" -gt "$before" ] && break; sleep 0.05
  done
  grep -o 'queries answered locally [0-9]*' "$tmp/dnsmasq.log" | tail -1 | awk '{print $4}'
}

cpu_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }

# The latency client: SESSIONS threads, one persistent session each, plain SMTP without
# pipelining; the body is sent first, then ".\r\n" alone, and the clock runs from that write to
# the end of the reply line. Prints "count p50_ms p90_ms p99_ms max_ms", fails on any non-2xx/3xx.
cat >"$tmp/latency.py" <<'EOF'
import socket, sys, threading, time
host, port, total, sessions, msg_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
sender, rcpt, helo = sys.argv[6], sys.argv[7], sys.argv[8]
# the same bytes smtp-source -F sends: each line with CRLF, dot-stuffed
message = b"".join((b"." if l.startswith(b".") else b"") + l + b"\r\n" for l in open(msg_file, "rb").read().split(b"\n")[:-1])
times, errors, lock = [], [], threading.Lock()

def reply(f):
    while True:
        l = f.readline()
        if not l: raise IOError("connection closed")
        if l[3:4] != b"-": return l

def expect(f, code):
    r = reply(f)
    if not r.startswith(code): raise IOError("unexpected reply: " + r.decode(errors="replace").strip())
    return r

def worker(wid, n):
    try:
        s = socket.create_connection((host, port), timeout=60)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        f = s.makefile("rb")
        expect(f, b"220")
        s.sendall(b"EHLO %s\r\n" % helo.encode()); expect(f, b"250")
        for i in range(n):
            s.sendall(b"MAIL FROM:<%s>\r\n" % sender.encode()); expect(f, b"250")
            s.sendall(b"RCPT TO:<%s>\r\n" % rcpt.encode()); expect(f, b"250")
            s.sendall(b"DATA\r\n"); expect(f, b"354")
            s.sendall(message)
            t0 = time.perf_counter()
            s.sendall(b".\r\n")
            expect(f, b"250")
            t = time.perf_counter() - t0
            with lock: times.append(t)
        s.sendall(b"QUIT\r\n"); reply(f); s.close()
    except Exception as e:
        with lock: errors.append(f"session {wid}: {e}")

per = [total // sessions + (1 if i < total % sessions else 0) for i in range(sessions)]
ts = [threading.Thread(target=worker, args=(i, per[i])) for i in range(sessions)]
for t in ts: t.start()
for t in ts: t.join()
for e in errors[:5]: print("latency client:", e, file=sys.stderr)
if errors or len(times) != total: sys.exit(1)
times.sort()
q = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1000
print(f"{len(times)} {q(0.50):.2f} {q(0.90):.2f} {q(0.99):.2f} {times[-1] * 1000:.2f}")
EOF

# run_phase SYSTEM LABEL COUNT PORT KIND: sends COUNT messages (KIND=source: smtp-source; latency:
# the client above) and waits until the system's sink has all of them. Sets PHASE_SECS (start to
# last delivery), ACCEPT_SECS (start to client done), PHASE_CPU (machine CPU busy %), LAT (client output).
run_phase() {
  local sys=$1 label=$2 count=$3 port=$4 kind=$5
  local base target t0 t1 tacc= deadline c last=0 src_rc= cpu0 cpu1 chk=0 refused0=
  base=$(sink_count "$sys"); target=$((base + count))
  [ "$sys" != postfix ] && refused0=$(protection_refusals)
  log "$sys: $label: $count messages over $SESSIONS sessions"
  cpu0=$(cpu_busy); t0=$(now); deadline=$((SECONDS + TIMEOUT))
  if [ "$kind" = source ]; then
    smtp-source -s "$SESSIONS" -m "$count" -F "$msg_file" -M "$HELO" -f "$SENDER" -t "${PHASE_RCPT:-$RCPT}" "127.0.0.1:$port" \
      >"$tmp/source-$sys-$label.out" 2>&1 &
  else
    python3 "$tmp/latency.py" 127.0.0.1 "$port" "$count" "$SESSIONS" "$msg_file" "$SENDER" "$RCPT" "$HELO" \
      >"$tmp/source-$sys-$label.out" 2>&1 &
  fi
  src_pid=$!
  while :; do
    if [ -z "$src_rc" ] && ! kill -0 "$src_pid" 2>/dev/null; then
      src_rc=0; wait "$src_pid" || src_rc=$?
      tacc=$(now); src_pid=
      if [ "$src_rc" != 0 ]; then
        log "$sys: $label: client failed (exit $src_rc):"; tail -5 "$tmp/source-$sys-$label.out" >&2
        failures+=("$sys $label: client exit $src_rc"); return 1
      fi
    fi
    c=$(sink_count "$sys")
    [ "$c" -ge "$target" ] && [ -n "$src_rc" ] && break
    if [ -n "$src_rc" ] && [ "$sys" != postfix ] && ((SECONDS - chk >= 1)); then
      chk=$SECONDS
      if [ "$(protection_refusals)" != "$refused0" ]; then
        log "$sys: $label: Sluice's pipeline junked, quarantined or refused messages: $(sluice_events) (RECEIVE FILTER QUARANTINE FAIL DEFER)"
        failures+=("$sys $label: messages junked, quarantined or refused by the protection pipeline"); return 1
      fi
    fi
    if ((SECONDS >= deadline)); then
      log "$sys: $label: timeout after ${TIMEOUT}s: sink has $((c - base)) of $count"
      failures+=("$sys $label: $((c - base))/$count delivered within ${TIMEOUT}s")
      [ -n "$src_pid" ] && { stop_pid "$src_pid" 2; src_pid=; }
      return 1
    fi
    if ((SECONDS - last >= 3)); then log "$sys: $label: delivered $((c - base))/$count"; last=$SECONDS; fi
    sleep 0.05
  done
  t1=$(now); cpu1=$(cpu_busy)
  PHASE_SECS=$(elapsed "$t0" "$t1"); ACCEPT_SECS=$(elapsed "$t0" "$tacc")
  PHASE_CPU=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN{split(a,x," ");split(b,y," ");printf "%.0f", 100*(y[1]-x[1])/(y[2]-x[2])}')
  LAT=$(cat "$tmp/source-$sys-$label.out")
  log "$sys: $label: done in ${PHASE_SECS}s (all accepted after ${ACCEPT_SECS}s, CPU busy ${PHASE_CPU}%)"
}

# check_exact SYSTEM EXPECTED: after a short settle, the sink must hold exactly EXPECTED messages
check_exact() {
  sleep 2
  local c; c=$(sink_count "$1")
  if [ "$c" -lt "$2" ]; then failures+=("$1: sink has $c of $2 messages"); log "$1: sink has $c of $2";
  elif [ "$c" -gt "$2" ]; then log "$1: WARNING: sink has $c messages, expected $2 (duplicates)"; DUPS[$1]=$(($c - $2));
  fi
}
declare -A DUPS=([sluice]=0 [postfix]=0)

# sluice_events: Sluice's trace counters (/metrics): "RECEIVE FILTER QUARANTINE FAIL DEFER"
sluice_events() {
  curl -sf -H "Authorization: Bearer $TOKEN" "$api/metrics" | awk '
    /^sluice_messages_events_total\{/ { split($0, a, "\""); v[a[2]] = $NF }
    END { printf "%d %d %d %d %d\n", v["RECEIVE"], v["FILTER"], v["QUARANTINE"], v["FAIL"], v["DEFER"] }'
}
# protection_refusals: junked + quarantined + refused so far (a run_phase that waits for the sink
# gives up at once when this grows, instead of waiting TIMEOUT for messages that will not come)
protection_refusals() { sluice_events | awk '{print $2 + $3 + $4}'; }

# check_sample: every message in the dumping sink passed SPF, DKIM and DMARC and is not spam;
# writes the pipeline's headers of one of them to $tmp/sample-headers.txt
check_sample() {
  python3 - "$tmp/sample" "$SAMPLE" "$tmp/sample-headers.txt" <<'EOF'
import collections, email, email.policy, os, re, sys
d, want, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = sorted(os.listdir(d))
bad, scls = [], collections.Counter()
for name in files:
    m = email.message_from_bytes(open(os.path.join(d, name), "rb").read(), policy=email.policy.compat32)
    ar = " ".join((m.get("Authentication-Results") or "").split())
    rep = m.get("X-Sluice-Antispam-Report") or ""
    scl = re.search(r"SCL:(-?\d+)", rep)
    scls[scl.group(1) if scl else "missing"] += 1
    ok = all(f in ar for f in ("spf=pass", "dkim=pass", "dmarc=pass")) and scl and int(scl.group(1)) < 5 \
         and "SFV:NSPM" in rep and m.get("X-Sluice-Folder") is None
    if not ok: bad.append(f"{name}: {ar} | {rep} | folder={m.get('X-Sluice-Folder')}")
    if name == files[0]:
        with open(out, "w") as f:
            for h in ("Authentication-Results", "X-Sluice-Antispam-Report"):
                f.write(f"{h}: {m.get(h)}\n")
print(f"sample: {len(files)} messages, SCL " + ", ".join(f"{k}: {v}" for k, v in sorted(scls.items())), file=sys.stderr)
for b in bad[:3]: print("sample: not clean: " + b, file=sys.stderr)
sys.exit(0 if len(files) == want and not bad else 1)
EOF
  local rc=$?
  [ "$rc" = 0 ] || failures+=("sluice: the sampled messages did not all pass SPF, DKIM, DMARC and anti-spam (see above)")
  return "$rc"
}

rate() { python3 -c "print(f'{$1 / $2:.0f}')"; }

# ---------------------------------------------------------------------------------------------
# 4. Sluice
bench_sluice() {
  start_sink sluice; sluice_sink=$SINK_PORT
  mkdir -p "$tmp/sample" && chown nobody "$tmp/sample"
  start_sink sample -d "$tmp/sample/%M."; sample_sink=$SINK_PORT   # keeps each message: the header check
  s_smtp=$(free_port); s_sub=$(free_port); s_admin=$(free_port)
  mkdir -p "$tmp/sluice"
  cat >"$tmp/sluice/sluice.yaml" <<EOF
hostname: sluice-bench.localdomain
dataDir: $tmp/sluice/data
listeners:
  smtp:       {address: 127.0.0.1, port: $s_smtp}
  submission: {address: 127.0.0.1, port: $s_sub}
  admin:      {address: 127.0.0.1, port: $s_admin}
dns:
  servers: ["127.0.0.1:$dns_port"]
protection:
  enabled: $([ "$PROTECTION" = off ] && echo false || echo true)
routing:
  smartHosts: {bench.example: ["127.0.0.1:$sluice_sink"], sample.bench.example: ["127.0.0.1:$sample_sink"]}
EOF
  log "starting Sluice: SMTP 127.0.0.1:$s_smtp, admin 127.0.0.1:$s_admin, sink 127.0.0.1:$sluice_sink, data $tmp/sluice/data"
  (cd "$repo" && SLUICE_ADMIN_TOKEN=$TOKEN exec ./sluice serve --config "$tmp/sluice/sluice.yaml") \
    >"$tmp/sluice/sluice.log" 2>&1 &
  sluice_pid=$!
  api="http://127.0.0.1:$s_admin"
  for ((i = 0; i < 600; i++)); do
    curl -sf "$api/healthz" >/dev/null 2>&1 && break
    kill -0 "$sluice_pid" 2>/dev/null || { tail -20 "$tmp/sluice/sluice.log" >&2; die "Sluice exited during startup"; }
    sleep 0.1
  done
  curl -sf "$api/healthz" >/dev/null || die "Sluice /healthz did not answer within 60s"
  [ "$(cat /proc/$sluice_pid/comm)" = java ] || die "pid $sluice_pid is $(cat /proc/$sluice_pid/comm), expected the JVM"

  post() {  # post PATH JSON -> response body; fails loudly
    local out
    out=$(curl -sS -w '\n%{http_code}' -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" -d "$2" "$api$1") \
      || die "POST $1 failed"
    [[ "${out##*$'\n'}" == 20? ]] || die "POST $1 -> ${out##*$'\n'}: ${out%$'\n'*}"
    echo "${out%$'\n'*}"
}
org=$(post /api/v1/organizations '{"name":"Bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for d in bench.example sample.bench.example; do
  post /api/v1/domains "{\"organizationId\":\"$org\",\"domainName\":\"$d\",\"domainType\":\"InternalRelay\"}" >/dev/null
done
log "Sluice: organization $org, accepted domains bench.example, sample.bench.example (InternalRelay); DNS 127.0.0.1:$dns_port"
wait_banner "$s_smtp" 30 || die "Sluice SMTP listener did not greet"

s_ok=1
if [ "$WARMUP" -gt 0 ]; then run_phase sluice warmup "$WARMUP" "$s_smtp" source || s_ok=0; fi
if [ "$s_ok" = 1 ]; then
  if [ -n "${JFR:-}" ]; then
    "$JAVA_HOME/bin/jcmd" "$sluice_pid" JFR.start name=relay settings=profile filename="$JFR" >/dev/null
    log "Sluice: JFR recording to $JFR"
  fi
  cpu_j0=$(awk '{print $14+$15}' "/proc/$sluice_pid/stat")
  dns0=$(dns_answered)
  if run_phase sluice timed "$N" "$s_smtp" source; then
    s_secs=$PHASE_SECS; s_acc=$ACCEPT_SECS; s_cpu=$PHASE_CPU
    s_jcpu=$(awk -v a="$cpu_j0" -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14+$15-a)/hz}' "/proc/$sluice_pid/stat")
    s_dnsq=$(( $(dns_answered) - dns0 ))
  else s_ok=0; fi
  [ -n "${JFR:-}" ] && "$JAVA_HOME/bin/jcmd" "$sluice_pid" JFR.stop name=relay >/dev/null
fi
if [ "$s_ok" = 1 ]; then
  if run_phase sluice latency "$LAT_N" "$s_smtp" latency; then s_lat=$LAT; else s_ok=0; fi
fi
[ "$s_ok" = 1 ] && check_exact sluice $((WARMUP + N + LAT_N))
# The header check: SAMPLE more copies of the same message, to a sink that keeps them.
if [ "$s_ok" = 1 ] && [ "$SAMPLE" -gt 0 ]; then
  PHASE_RCPT=rcpt@sample.bench.example run_phase sample check "$SAMPLE" "$s_smtp" source || s_ok=0
  [ "$s_ok" = 1 ] && [ "$PROTECTION" != off ] && { check_sample || s_ok=0; }
fi
# Every message the benchmark sent went through the pipeline and came out clean: received, relayed,
# never junked (FILTER), quarantined, refused (FAIL) or deferred.
read -r ev_recv ev_filter ev_quar ev_fail ev_defer <<<"$(sluice_events)"
s_sent=$((WARMUP + N + LAT_N + SAMPLE))
[ "$s_ok" = 1 ] || s_sent=$ev_recv
log "Sluice: trace events: RECEIVE $ev_recv (sent $s_sent), FILTER $ev_filter, QUARANTINE $ev_quar, FAIL $ev_fail, DEFER $ev_defer"
if [ "$ev_recv" != "$s_sent" ] || [ $((ev_filter + ev_quar + ev_fail + ev_defer)) != 0 ]; then
  failures+=("sluice: not every message passed the pipeline clean: RECEIVE $ev_recv of $s_sent, FILTER $ev_filter, QUARANTINE $ev_quar, FAIL $ev_fail, DEFER $ev_defer")
  s_ok=0
fi
s_hwm=$(awk '/^VmHWM/{printf "%.0f", $2/1024}' "/proc/$sluice_pid/status")
log "Sluice: peak RSS (VmHWM) ${s_hwm} MiB"
stop_pid "$sluice_pid" 30; sluice_pid=

}

# ---------------------------------------------------------------------------------------------
# 5. Postfix: a throw-away instance with its own config, queue and data directories.
bench_postfix() {
  start_sink postfix; pf_sink=$SINK_PORT
  p_smtp=$(free_port)
  pf=$tmp/postfix
  mkdir -p "$pf/etc" "$pf/spool" "$pf/data"
  chown postfix "$pf/data"
  cat >"$pf/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $pf/spool
data_directory = $pf/data
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
myhostname = postfix-bench.localdomain
mydomain = localdomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = bench.example
relay_recipient_maps =
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
relay_transport = relay:[127.0.0.1]:$pf_sink
default_transport = smtp:[127.0.0.1]:$pf_sink
local_transport = error:local delivery is disabled
local_recipient_maps =
alias_maps =
alias_database =
biff = no
default_process_limit = 100
EOF
  # The Debian master.cf services without chroot (a chroot would need copies of /etc files).
  cat >"$pf/etc/master.cf" <<EOF
127.0.0.1:$p_smtp inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
proxywrite unix - - n -  1 proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
local     unix  - n n -  - local
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
  log "starting Postfix instance $pf/etc: SMTP 127.0.0.1:$p_smtp, sink 127.0.0.1:$pf_sink"
  postfix -c "$pf/etc" check >&2 || die "postfix check failed for $pf/etc"
  pf_started=1
  postfix -c "$pf/etc" start >&2 || die "postfix start failed (see $pf/maillog)"
  wait_banner "$p_smtp" 30 || die "Postfix smtpd did not greet on $p_smtp"
  log "Postfix: $(postconf -c "$pf/etc" -h mail_version), fsync before 250 (cleanup), default_process_limit=$(postconf -c "$pf/etc" -h default_process_limit)"

  p_ok=1
  if [ "$WARMUP" -gt 0 ]; then run_phase postfix warmup "$WARMUP" "$p_smtp" source || p_ok=0; fi
  if [ "$p_ok" = 1 ]; then
    if run_phase postfix timed "$N" "$p_smtp" source; then
      p_secs=$PHASE_SECS; p_acc=$ACCEPT_SECS; p_cpu=$PHASE_CPU
    else p_ok=0; fi
  fi
  if [ "$p_ok" = 1 ]; then
    if run_phase postfix latency "$LAT_N" "$p_smtp" latency; then p_lat=$LAT; else p_ok=0; fi
  fi
  [ "$p_ok" = 1 ] && check_exact postfix $((WARMUP + N + LAT_N))

  log "stopping the benchmark Postfix instance"
  postfix -c "$pf/etc" stop >&2 || true
  m=$(cat "$pf/spool/pid/master.pid" 2>/dev/null | tr -d " ")
  [ -n "$m" ] && stop_pid "$m" 10
  pf_started=
}

# Both systems run one after the other, never together; ORDER=postfix,sluice swaps them.
ORDER=${ORDER:-sluice,postfix}
case $ORDER in sluice,postfix|postfix,sluice) ;; *) die "ORDER must be sluice,postfix or postfix,sluice" ;; esac
for sys in ${ORDER//,/ }; do
  case $sys in sluice) bench_sluice ;; postfix) bench_postfix ;; *) die "ORDER: unknown system $sys" ;; esac
done

# ---------------------------------------------------------------------------------------------
# 6. Results
cmd="smtp-source -s $SESSIONS -m $N -F message.txt -M $HELO -f $SENDER -t $RCPT 127.0.0.1:<port>"
{
  echo "relay benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
  echo "N=$N  sessions=$SESSIONS  size=$SIZE  warmup=$WARMUP  latency-messages=$LAT_N  order=$ORDER  loadavg at end: $(cut -d" " -f1-3 /proc/loadavg)"
  echo "load:    $cmd"
  echo "message: $(wc -c <"$msg_file") bytes as sent by -F (LF line ends; $(sed '1,/^$/d' "$msg_file" | wc -c) body bytes), text/plain, DKIM-signed d=example.net"
  echo "latency: $LAT_N msgs, $SESSIONS persistent sessions, clock from the write of '.' CRLF to the reply"
  if [ "$PROTECTION" = off ]; then
    echo "Sluice:  protection off (protection.enabled: false): the core, as Postfix; Postfix: plain relay"
  else
    echo "Sluice:  whole protection pipeline (connection filter, anti-malware, SPF/DKIM/DMARC via dnsmasq, anti-spam); Postfix: plain relay"
  fi
  echo
  printf '%-8s %10s %12s %12s %11s %9s %9s %9s %9s %8s\n' system e2e_msg/s e2e_secs accept_msg/s cpu_busy% p50_ms p90_ms p99_ms max_ms rss_MiB
  row() {  # row NAME OK SECS ACC CPU LAT RSS
    if [ "$2" = 1 ]; then
      read -r _ p50 p90 p99 pmax <<<"$6"
      printf '%-8s %10s %12s %12s %11s %9s %9s %9s %9s %8s\n' "$1" "$(rate "$N" "$3")" "$3" "$(rate "$N" "$4")" "$5" "$p50" "$p90" "$p99" "$pmax" "$7"
    else
      printf '%-8s %10s\n' "$1" FAILED
    fi
  }
  row sluice "$s_ok" "${s_secs:-}" "${s_acc:-}" "${s_cpu:-}" "${s_lat:-}" "$s_hwm"
  row postfix "$p_ok" "${p_secs:-}" "${p_acc:-}" "${p_cpu:-}" "${p_lat:-}" "-"
  echo
  if [ "$s_ok" = 1 ] && [ "$p_ok" = 1 ]; then
    echo "ratio Sluice/Postfix (end-to-end rate): $(python3 -c "print(f'{$p_secs / $s_secs:.2f}')")x"
  fi
  [ -n "${s_jcpu:-}" ] && echo "Sluice JVM CPU in the timed phase: ${s_jcpu}s ($(python3 -c "print(f'{1000 * $s_jcpu / $N:.2f}')") ms/msg)"
  echo "Sluice peak RSS (VmHWM of the JVM): ${s_hwm} MiB"
  [ -n "${s_dnsq:-}" ] && echo "DNS queries answered by dnsmasq in Sluice's timed phase: $s_dnsq ($(python3 -c "print(f'{$s_dnsq / $N:.2f}')") per message)"
  [ -n "${ev_recv:-}" ] && echo "Sluice trace events: RECEIVE $ev_recv, FILTER $ev_filter, QUARANTINE $ev_quar, FAIL $ev_fail, DEFER $ev_defer"
  if [ -s "$tmp/sample-headers.txt" ]; then echo "pipeline headers of a sampled message:"; sed 's/^/  /' "$tmp/sample-headers.txt"; fi
  [ "${DUPS[sluice]}${DUPS[postfix]}" != 00 ] && echo "duplicates at the sink: sluice=${DUPS[sluice]} postfix=${DUPS[postfix]}"
}
if [ ${#failures[@]} -gt 0 ]; then
  for f in "${failures[@]}"; do log "FAILED: $f"; done
  exit 1
fi
log "done"
