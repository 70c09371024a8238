#!/usr/bin/env bash
# Times `validate`, `start` and `status` on playbooks with one phase of many steps (a
# sequence, so a chain of prerequisites as long as the phase), and a parallel phase whose
# steps each wait for the next (a chain in reverse order). Validation and progress must
# grow in proportion to the steps; see docs/reliability.md.
#
#   bash bench/wide-playbook.sh              # 20000 and 100000 steps
#   bash bench/wide-playbook.sh 5000 50000   # other sizes
#
# Needs bash, awk, coreutils and the Rust toolchain. 100,000 short steps are just under
# the 4 MiB a file may have.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="$PWD/target/release/onboard"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20000 100000)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ONBOARD_USER=bench ONBOARD_NOW=2026-03-02T09:00:00-03:00

# playbook N ORDER: a playbook `wide` of N steps; ORDER `sequence`, or `reverse` for a
# parallel phase where step i waits for step i+1.
playbook() {
  awk -v n="$1" -v order="$2" 'BEGIN {
    print "id: wide\ntitle: Wide\ncalendar: CH\nroles:\n  - id: o\nphases:\n  - id: p\n    title: P"
    if (order == "reverse") print "    order: parallel"
    print "    steps:"
    for (i = 0; i < n; i++) {
      after = (order == "reverse" && i + 1 < n) ? ", after: [s" i + 1 "]" : ""
      print "      - {id: s" i ", title: t, owner: o" after "}"
    }
  }'
}

# seconds COMMAND...: wall time of one run, in seconds.
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  awk -v ns=$(( end - start )) 'BEGIN { printf "%.2f", ns / 1e9 }'
}

echo "| steps | order | bytes | validate s | start s | status s |"
echo "| --- | --- | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  for order in sequence reverse; do
    dir="$work/$n-$order"
    mkdir -p "$dir/.onboard/playbooks"
    playbook "$n" "$order" > "$dir/.onboard/playbooks/wide.yaml"
    bytes=$(wc -c < "$dir/.onboard/playbooks/wide.yaml")
    if [ "$bytes" -gt 4194304 ]; then
      echo "| $n | $order | $bytes | refused: over 4 MiB | | |"
      continue
    fi
    cd "$dir"
    v=$(seconds "$bin" validate .onboard/playbooks/wide.yaml)
    s=$(seconds "$bin" start wide w)
    t=$(seconds "$bin" status w)
    cd - >/dev/null
    echo "| $n | $order | $bytes | $v | $s | $t |"
  done
done
