#!/usr/bin/env bash
# Benchmark: `subledger send` to 1,000 customers through a real SMTP server
# on loopback (aiosmtpd, tests/support/smtp_server.py; Debian's
# python3-aiosmtpd), and `audit` with those customers over 100 releases of
# delivery records against `audit` without customers. Targets: send under
# 30 s with every record written; audit within twice its time without.
#
# usage: scripts/bench-send.sh [CUSTOMERS] [RELEASES]   (default 1000 100)
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${1:-1000}
releases=${2:-100}
cargo build --release --locked -q
bin=$PWD/target/release/subledger
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
"$bin" demo "$work/demo" >/dev/null
cd "$work/demo"
git config user.name "Bench" && git config user.email bench@example.com
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 "$OLDPWD/tests/support/smtp_server.py" "$work/mail" "$port" >"$work/ready" &
server=$!
until grep -q ready "$work/ready" 2>/dev/null; do sleep 0.1; done
printf '\n[delivery]\nsmtp = "smtp://127.0.0.1:%s"\nfrom = "Privacy <privacy@practicpro.example>"\n' "$port" >>subledger.toml
mkdir -p customers
python3 - "$customers" <<'PY'
import sys
for i in range(int(sys.argv[1])):
    open(f"customers/c{i:05d}.toml", "w").write(f'name = "Customer {i}"\nemails = ["privacy@c{i:05d}.example"]\n')
PY
git add -A && GIT_COMMITTER_DATE=2026-09-01T00:00:00Z git commit -qm "Customers"
"$bin" release --date 2026-10-01 >/dev/null
"$bin" notice --save >/dev/null
git add -A && GIT_COMMITTER_DATE=2026-09-01T00:00:00Z git commit -qm "Notice"
start=$(date +%s%N)
"$bin" --quiet send >/dev/null || true
end=$(date +%s%N)
records=$(grep -c '"accepted":true' reports/subprocessors/2026-10-01/deliveries.jsonl)
printf 'send: %d customers in %.2f s (target < 30 s); %d accepted deliveries recorded\n' \
  "$customers" "$(echo "($end - $start) / 1000000000" | bc -l)" "$records"

# 100 releases, each with a record of delivery to every customer.
BIN=$bin python3 - "$releases" "$customers" <<'PY'
import json, os, subprocess, sys
n, customers = int(sys.argv[1]), int(sys.argv[2])
for r in range(n):
    day = 2027 * 1000 + r
    path = "register/bench-vendor.toml"
    open(path, "w").write(f'name = "Bench vendor"\nsection = "infrastructure"\npurpose = "Benchmark change {r}"\ndata_categories = ["Logs"]\nlocations = ["DE"]\n')
    env = dict(os.environ, GIT_COMMITTER_DATE="2026-09-02T00:00:00Z")
    subprocess.run(["git", "add", "-A"], check=True)
    subprocess.run(["git", "commit", "-qm", f"Change {r}"], check=True, env=env)
    name = f"subprocessors/bench-{r:03d}"
    subprocess.run([os.environ["BIN"], "release", name, "--date", f"2026-10-{2 + r // 10:02d}", "--allow-empty"], check=True, stdout=subprocess.DEVNULL)
    d = os.path.join("reports", "subprocessors", f"bench-{r:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "deliveries.jsonl"), "w") as f:
        for i in range(customers):
            f.write(json.dumps({"release": name, "customer": f"c{i:05d}", "channel": "email", "address": f"privacy@c{i:05d}.example", "profile": None, "accepted": True, "at": "2026-10-02T09:00:00+00:00", "reply": "250 Ok", "message_id": f"<{r}.{i}@bench>", "sha256": "0" * 64, "date": 0, "resend": False}) + "\n")
PY
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_audit() {
  : >"$work/t"
  for _ in 1 2 3; do
    s=$(date +%s%N); "$bin" --quiet audit --format json >/dev/null; e=$(date +%s%N)
    echo "($e - $s) / 1000000000" | bc -l >>"$work/t"
  done
  median <"$work/t"
}
with=$(time_audit)
mv customers "$work/customers-away"
without=$(time_audit)
printf 'audit: %.2f s with %d customers over %d releases of deliveries, %.2f s without customers (%.2fx; target <= 2x)\n' \
  "$with" "$customers" "$releases" "$without" "$(echo "$with / $without" | bc -l)"
