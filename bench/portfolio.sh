#!/usr/bin/env bash
# Times onboard's one-project and portfolio commands (`stats`, `forecast` and `site` among them) on portfolios of 100, 1,000 and
# 5,000 projects, against the I/O floor (`cat` of the same files), and prints Markdown
# tables of medians, minima, ratios, the machine's load and peak memory for
# docs/performance.md.
#
#   bash bench/portfolio.sh                 # 100, 1000 and 5000 projects
#   bash bench/portfolio.sh 500 5000        # other sizes
#   BENCH_RUNS=3 bash bench/portfolio.sh 50000
#   BENCH_BIN=/tmp/onboard-old bash bench/portfolio.sh 500   # another build, to compare
#   BENCH_SKIP='forecast|site' bash bench/portfolio.sh 50000   # rows left out by name
#
# Needs only bash, coreutils, GNU time (for memory; skipped without it) and the Rust
# toolchain. A template portfolio is made through the real CLI: every bundled playbook,
# steps done, `set` rounds, work overdue at the time of the runs, and an archived
# project (which portfolio commands list but do not judge), about 30 event files each.
# Its project directories are then copied under new names, as a checkout would bring
# them: writing 50,000 projects one command at a time would take hours, and a copy holds
# the same files. Portfolio commands are timed warm (the cache settled: files older than
# its two-second racy window), cold (every project file rewritten before each run, as
# after a checkout: nothing cached is trusted) and with `--no-cache`. The cache goes to
# a scratch folder, never the user's. The load average (1 minute, `/proc/loadavg`) as
# each row is timed says how busy the machine was: on a shared machine, compare ratios
# measured in one run, not absolute times across runs.
# Last, each portfolio is committed to git and `diff HEAD~1` timed after a commit that
# changes 10 projects.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${BENCH_BIN:-}" ]; then
  bin=$(realpath "$BENCH_BIN")
else
  cargo build --release --locked --quiet
  bin="${CARGO_TARGET_DIR:-$PWD/target}/release/onboard"
fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 5000)
runs=${BENCH_RUNS:-11}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ONBOARD_USER=bench ONBOARD_NOW=2026-03-02T09:00:00-03:00 XDG_CACHE_HOME="$work/cache"
unset ONBOARD_NO_CACHE

# The median and the minimum wall time of a command, in milliseconds ("MEDIAN MIN");
# `$prepare` runs untimed before each run. On a shared machine the minimum is what the
# command costs when nothing competes with it; the median, what it cost as things were.
prepare=true
timing() {
  local times=() start end
  for _ in $(seq "$runs"); do
    $prepare >/dev/null 2>&1 || true
    start=${EPOCHREALTIME/[.,]/}
    "$@" >/dev/null 2>&1 || true
    end=${EPOCHREALTIME/[.,]/}
    times+=($(( end - start )))
  done
  printf '%s\n' "${times[@]}" | sort -n |
    awk -v mid=$(( (runs + 1) / 2 )) 'NR == 1 { min = $1 } NR == mid { med = $1 } END { printf "%.1f %.1f", med / 1000, min / 1000 }'
}

# One line of the table: a name, the timing of the command, the timing of its floor.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", (b > 0 ? a / b : 0) }'; }
row() {
  local median min floor_median floor_min
  read -r median min <<<"$2"
  read -r floor_median floor_min <<<"$3"
  echo "| $n | $1 | $median | $floor_median | $(ratio "$median" "$floor_median") | $min | $floor_min | $(ratio "$min" "$floor_min") | $(load) |"
}

# A row measured: its name, the timing of its floor, then the command. `BENCH_SKIP`, an
# extended regular expression, leaves out the rows whose name it matches (at 50,000
# projects `BENCH_SKIP='forecast|site'` saves most of an hour).
measure() {
  local name=$1 floor=$2
  shift 2
  if [ -n "${BENCH_SKIP:-}" ] && [[ $name =~ $BENCH_SKIP ]]; then return 0; fi
  row "$name" "$(timing "$@")" "$floor"
}

# The load average over the last minute, or `?` where /proc is not there.
load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?'; }

# The peak resident memory of a command, in kilobytes (GNU time).
memory=()
peak_kb() {
  /usr/bin/time -f %M -o "$work/time" "$@" >/dev/null 2>&1 || true
  tail -1 "$work/time"
}

# A template of projects written by the CLI: each playbook, some steps done, and about
# 30 events each (steps, rounds and `set`s), as a project some weeks in holds them; one
# abandoned and archived.
template="$work/template"
mkdir -p "$template" && (cd "$template" && "$bin" init >/dev/null 2>&1)
(
  cd "$template"
  "$bin" start cooperative coop-a >/dev/null 2>&1
  for step in I 1.1 1.2 1.3 2.1.1 2.1.2 2.1.3 2.2.1 2.2.2 2.2.3; do "$bin" advance coop-a "$step" >/dev/null 2>&1 || true; done
  "$bin" advance coop-a 3.1 --set contactos=Ana >/dev/null 2>&1 || true
  "$bin" start data-import opera-a --set J=2026-04-20 >/dev/null 2>&1
  "$bin" advance opera-a 1 --set "data_to_migrate=contacts" >/dev/null 2>&1
  "$bin" start change-request cr-a >/dev/null 2>&1
  "$bin" start implementation impl-a >/dev/null 2>&1
  "$bin" start operator-activation op-a >/dev/null 2>&1
  "$bin" start account-suspension susp-a >/dev/null 2>&1
  "$bin" start support-request sol-a --set received_at=2026-03-02T08:00:00-05:00 --set service=business >/dev/null 2>&1 || true
  "$bin" start support-request old-a --set received_at=2026-03-02T08:00:00-05:00 --set service=business >/dev/null 2>&1 || true
  for project in coop-a opera-a cr-a impl-a op-a susp-a sol-a old-a; do
    for round in $(seq 40); do
      [ "$(ls .onboard/projects/$project 2>/dev/null | wc -l)" -ge 31 ] && break
      "$bin" set "$project" "calendar=$("$bin" status "$project" --json 2>/dev/null | sed -n 's/^  "calendar": "\(.*\)",$/\1/p')" --reason "round $round" >/dev/null 2>&1 || break
    done
  done
  "$bin" archive old-a --reason "the client withdrew" >/dev/null 2>&1
)
mapfile -t kinds < <(ls "$template/.onboard/projects" | grep -v '^\.')

# `diff HEAD~1` after a commit that advances 10 projects, against `git diff HEAD~1` (and
# the same between the two commits, which reads no working tree): the
# portfolio committed, then ten `coop-a-*` projects advanced and committed. What `diff`
# costs should follow the change, not the portfolio (docs/performance.md, issue 23).
diff_row() {
  local git=(git -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false)
  "${git[@]}" init -q . && "${git[@]}" add -A && "${git[@]}" commit -q -m portfolio
  local changed=0 project
  for project in "$projects"/coop-a-*; do
    "$bin" advance "$(basename "$project")" >/dev/null 2>&1 && changed=$(( changed + 1 ))
    [ "$changed" -ge 10 ] && break
  done
  "${git[@]}" add -A && "${git[@]}" commit -q -m "advance $changed projects"
  # Files written within the second the index was are "racily clean" to git, which would
  # hash every one of them at each `git diff` against the working tree: settle the index.
  sleep 2 && { git update-index -q --refresh || true; }
  measure "diff HEAD~1, $changed projects changed (floor: git diff HEAD~1)" \
    "$(timing git diff HEAD~1)" "$bin" diff HEAD~1
  measure "diff HEAD~1 HEAD (floor: git diff HEAD~1 HEAD)" \
    "$(timing git diff HEAD~1 HEAD)" "$bin" diff HEAD~1 HEAD
}

echo "| projects | command | median ms | floor (cat) ms | ratio | min ms | floor min ms | ratio of minima | load |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  dir="$work/p$n"
  cp -r "$template" "$dir"
  projects="$dir/.onboard/projects"
  for kind in "${kinds[@]}"; do rm -rf "${projects:?}/$kind"; done
  # A copy per project, then every `project.yaml` renamed in one pass (a `sed` per
  # project is most of the time at 50,000).
  for i in $(seq "$n"); do
    kind=${kinds[$(( i % ${#kinds[@]} ))]}
    cp -r "$template/.onboard/projects/$kind" "$projects/$kind-$i"
  done
  awk -v n="$n" -v kinds="${kinds[*]}" -v from="$template/.onboard/projects" -v to="$projects" '
    BEGIN {
      k = split(kinds, kind, " ")
      for (j = 1; j <= k; j++) {
        lines[j] = 0
        while ((getline line < (from "/" kind[j] "/project.yaml")) > 0) text[j, ++lines[j]] = line
      }
      for (i = 1; i <= n; i++) {
        j = i % k + 1; name = kind[j] "-" i; file = to "/" name "/project.yaml"
        for (l = 1; l <= lines[j]; l++) {
          line = text[j, l]
          if (line ~ /^project: /) line = "project: " name
          print line > file
        }
        close(file)
      }
    }'

  # A glob, not `ls | head`: under pipefail, `head` closing the pipe would end the script.
  one=$(for d in "$projects"/coop-a-*; do basename "$d"; break; done)
  cd "$dir"
  export ONBOARD_NOW=2026-04-20T09:00:00-03:00
  # The I/O floor: every file of every project directory, listed and read.
  cat_all() { find "$projects" -name '*.yaml' -print0 | xargs -0 cat; }
  floor_all=$(timing cat_all)
  floor_one=$(timing cat "$projects/$one"/*.yaml)
  measure "status $one" "$floor_one" "$bin" status "$one"
  # Warm: a first run fills the cache; past the racy window, a second one trusts every
  # file by its identity and settles it.
  "$bin" check >/dev/null 2>&1 || true
  sleep 3
  "$bin" check >/dev/null 2>&1 || true
  measure "check (warm)" "$floor_all" "$bin" check
  measure "status (portfolio, warm)" "$floor_all" "$bin" status
  measure "stats (warm)" "$floor_all" "$bin" stats
  # The whole history read once, then 1000 trials per open project (docs/forecast.md).
  measure "forecast (warm)" "$floor_all" "$bin" forecast
  # Every page written and synced (its folder replaced untimed before each run): the
  # whole history read once for the forecasts and statistics, then the portfolio.
  site_fresh() { rm -rf "$work/site"; }
  prepare=site_fresh
  measure "site --output (warm)" "$floor_all" "$bin" site --output "$work/site"
  prepare=true
  measure "check --no-cache" "$floor_all" "$bin" check --no-cache
  measure "status (portfolio) --no-cache" "$floor_all" "$bin" status --no-cache
  # Cold: every file rewritten before each run, as after a checkout.
  rewrite() { cp -r "$projects" "$projects.new" && rm -rf "$projects" && mv "$projects.new" "$projects"; }
  prepare=rewrite
  measure "check (cold)" "$floor_all" "$bin" check
  measure "status (portfolio, cold)" "$floor_all" "$bin" status
  measure "stats (cold)" "$floor_all" "$bin" stats
  # One step completed, then reopened untimed for the next run.
  again() { "$bin" reopen "$one" I --reason bench; }
  prepare=again
  measure "advance $one I" "$floor_one" "$bin" advance "$one" I
  prepare=true
  measure "--version (start-up)" "$(timing "$(type -P true)")" "$bin" --version
  if [ -x /usr/bin/time ]; then
    rewrite
    cold_kb=$(peak_kb "$bin" check)
    sleep 3
    "$bin" check >/dev/null 2>&1 || true
    memory+=("| $n | $(peak_kb "$bin" check) | $cold_kb | $(peak_kb "$bin" check --no-cache) | $(peak_kb "$bin" status) |")
  fi
  diff_row
  cd - >/dev/null
done
if [ ${#memory[@]} -gt 0 ]; then
  echo
  echo "| projects | check warm, peak KB | check cold, peak KB | check --no-cache, peak KB | status (portfolio), peak KB |"
  echo "| --- | --- | --- | --- | --- |"
  printf '%s\n' "${memory[@]}"
fi
echo
echo "Machine: $(nproc) cores, $(uname -sr); $(date -u +%Y-%m-%d). Medians and minima of $runs runs, wall time; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)."
