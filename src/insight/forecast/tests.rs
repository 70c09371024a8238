//! Forecasts over histories with known durations: the median of what a step took, fixed
//! percentiles for a fixed seed, the critical path of a small graph, and the fallback
//! when history is too short.

use std::collections::BTreeMap;

use super::*;
use crate::playbook::{Origin, parse};
use crate::state::change::{Earliest, complete, start};
use crate::state::fixture::{instant as at, stamp};

/// Phase `p` runs `x` (with its own 3-business-day window from the phase's start), then
/// phase `q` runs `long` and `short` side by side, and `last` after both; `extra` is
/// optional and `plain` has no time limit.
const PLAYBOOK: &str = "id: flow\ntitle: Flow\ncalendar: PY\nroles:\n  - id: ops\nphases:
  - id: p\n    title: P\n    owner: ops\n    steps:
      - id: x\n        title: X\n        owner: ops\n        deadline:\n          within: 3 business days\n          from: p.start
  - id: q\n    title: Q\n    owner: ops\n    order: parallel\n    steps:
      - id: long\n        title: Long\n        owner: ops
      - id: short\n        title: Short\n        owner: ops
      - id: extra\n        title: Extra\n        owner: ops\n        optional: true
      - id: last\n        title: Last\n        owner: ops\n        after: [long, short]
      - id: plain\n        title: Plain\n        owner: ops\n        after: [last]\n";

fn calendar() -> Calendar {
    Calendar::bundled(crate::calendar::find("PY").unwrap())
}

fn playbook() -> Playbook {
    parse(PLAYBOOK, "flow.yaml", Origin::Bundled).unwrap()
}

/// A project started on Monday 2 March 2026 at 09:00 with `done` steps completed when given.
fn project(playbook: &Playbook, done: &[(&str, &str)]) -> ProjectFile {
    let none = BTreeMap::new();
    let mut file = start(playbook, "p1", "PY", &none, &stamp("2026-03-02T09:00:00-03:00"));
    for (id, when) in done {
        let step = playbook.resolve_step(id).unwrap();
        complete(playbook, &mut file, step, &none, None, &stamp(when), &Earliest::Any).unwrap();
    }
    file
}

/// Five finished projects whose `x` took 2, 3, 4, 5 and 6 business days (Monday 2 March
/// plus that many), and every other step a day after the one before.
fn history(playbook: &Playbook, x_days: &[u32]) -> Samples {
    let calendar = calendar();
    let mut samples = Samples::default();
    for days in x_days {
        let x_done = 2 + days; // March 2026: Monday 2 to Friday 6, Monday 9…
        let x = format!("2026-03-{:02}T09:00:00-03:00", if x_done > 6 { x_done + 2 } else { x_done });
        let rest = ["2026-03-23T09:00:00-03:00", "2026-03-24T09:00:00-03:00", "2026-03-25T09:00:00-03:00"];
        let file = project(
            playbook,
            &[
                ("x", &x),
                ("long", rest[0]),
                ("short", rest[0]),
                ("extra", rest[0]),
                ("last", rest[1]),
                ("plain", rest[2]),
            ],
        );
        let now = at("2026-04-01T09:00:00-03:00");
        samples.merge(Samples::of_project(playbook, &file, &calendar, false, now));
    }
    samples.finish();
    samples
}

#[test]
fn five_finished_projects_give_each_step_its_durations_and_the_median_of_x_is_4() {
    let playbook = playbook();
    let samples = history(&playbook, &[2, 3, 4, 5, 6]);
    let x = samples.get("flow", "x", Unit::BusinessDays);
    assert_eq!(x, [2, 3, 4, 5, 6]);
    assert_eq!(percentile(x, 50), Some(4));
    assert_eq!(percentile(x, 85), Some(6));
    assert_eq!(samples.usual_unit("flow", "x"), Some(Unit::BusinessDays));
}

#[test]
fn an_open_project_is_not_history() {
    let playbook = playbook();
    let file = project(&playbook, &[("x", "2026-03-04T09:00:00-03:00")]);
    let samples = Samples::of_project(&playbook, &file, &calendar(), false, at("2026-04-01T09:00:00-03:00"));
    assert!(samples.get("flow", "x", Unit::BusinessDays).is_empty());
    let archived = Samples::of_project(&playbook, &file, &calendar(), true, at("2026-04-01T09:00:00-03:00"));
    assert_eq!(archived.get("flow", "x", Unit::BusinessDays), [2]);
}

#[test]
fn nearest_rank_percentiles() {
    let values: Vec<u32> = (1..=10).collect();
    assert_eq!(percentile(&values, 50), Some(5));
    assert_eq!(percentile(&values, 85), Some(9));
    assert_eq!(percentile(&values, 100), Some(10));
    assert_eq!(percentile(&[7], 85), Some(7));
    assert_eq!(percentile::<u32>(&[], 50), None);
}

/// Project `p9`, started on Monday 16 March 2026 at 09:00, with nothing done.
fn p9(playbook: &Playbook) -> ProjectFile {
    start(playbook, "p9", "PY", &BTreeMap::new(), &stamp("2026-03-16T09:00:00-03:00"))
}

/// The forecast of `file` at `now` from `samples`: 400 trials seeded with `seed`.
fn forecast(
    playbook: &Playbook,
    file: &ProjectFile,
    samples: &Samples,
    now: &str,
    seed: u64,
) -> Option<Forecast> {
    let settings = Settings { trials: 400, seed };
    super::forecast(&file.project, playbook, file, &calendar(), samples, at(now), settings)
}

#[test]
fn a_fixed_seed_gives_fixed_percentiles_drawn_from_history() {
    let playbook = playbook();
    let samples = history(&playbook, &[2, 3, 4, 5, 6]);
    // A new project, started Monday 16 March at 09:00; x is ready and has taken nothing.
    let file = p9(&playbook);
    let fc = forecast(&playbook, &file, &samples, "2026-03-16T09:00:00-03:00", 1).unwrap();
    let x = &fc.steps[0];
    assert_eq!((x.id.as_str(), x.source), ("x", Source::History { samples: 5 }));
    assert_eq!(x.source.describe(), "history, 5 samples");
    // Each of 2…6 business days a fifth of the time: the median 4 (Friday 20), the
    // 85th percentile 6 (Tuesday 24).
    assert_eq!(x.finish.p50, at("2026-03-20T09:00:00-03:00"));
    assert_eq!(x.finish.p85, at("2026-03-24T09:00:00-03:00"));
    let again = forecast(&playbook, &file, &samples, "2026-03-16T09:00:00-03:00", 1).unwrap();
    assert_eq!(format!("{:?}", fc.end), format!("{:?}", again.end));
    assert_eq!(fc.seed, 1);
    // The 3-business-day window of x (Thursday 19) is met when x takes 2 or 3 days.
    let limit = &fc.limits[0];
    assert_eq!(limit.due, LimitDue::Fixed(Due::Day(chrono::NaiveDate::from_ymd_opt(2026, 3, 19).unwrap())));
    // About two fifths of the trials; with seed 1, exactly these.
    assert_eq!((limit.met, limit.of), (172, 400));
}

#[test]
fn work_under_way_draws_only_durations_longer_than_it_has_taken() {
    let playbook = playbook();
    let samples = history(&playbook, &[2, 3, 4, 5, 6]);
    let file = p9(&playbook);
    // Friday 20 March: x has taken 4 business days, so it takes 5 or 6.
    let fc = forecast(&playbook, &file, &samples, "2026-03-20T10:00:00-03:00", 3).unwrap();
    let x = &fc.steps[0];
    assert!(x.finish.p50 >= at("2026-03-23T09:00:00-03:00"));
    assert_eq!(x.finish.p85, at("2026-03-24T09:00:00-03:00"));
    // Past every sample: done at the next business moment.
    let fc = forecast(&playbook, &file, &samples, "2026-03-30T10:00:00-03:00", 3).unwrap();
    assert_eq!(fc.steps[0].finish.p85, at("2026-03-30T10:01:00-03:00"));
}

#[test]
fn with_too_little_history_a_step_takes_its_window_or_one_business_day() {
    let playbook = playbook();
    let samples = history(&playbook, &[2, 3, 4]);
    let file = p9(&playbook);
    let fc = forecast(&playbook, &file, &samples, "2026-03-16T09:00:00-03:00", 1).unwrap();
    let x = &fc.steps[0];
    assert_eq!(x.source, Source::Window { samples: 3 });
    assert_eq!(x.source.describe(), "its window: 3 samples, fewer than 5");
    // Its window: 3 business days from the phase's start, Thursday 19.
    assert_eq!(x.finish.p50, at("2026-03-19T09:00:00-03:00"));
    assert_eq!(x.finish.p85, x.finish.p50);
    let plain = fc.steps.iter().find(|s| s.id == "plain").unwrap();
    assert_eq!(plain.source, Source::Default { samples: 3 });
    assert_eq!(Source::Default { samples: 0 }.describe(), "default 1 business day: no samples");
    // With no history at all, every step is a window or a day: x on Thursday 19, then
    // long and short (1 day each, in parallel), last, plain: Tuesday 24.
    let fc = forecast(&playbook, &file, &Samples::default(), "2026-03-16T09:00:00-03:00", 1).unwrap();
    assert_eq!(fc.end.p50, at("2026-03-24T09:00:00-03:00"));
}

#[test]
fn the_critical_path_runs_through_the_long_branch_and_skips_optional_work() {
    let playbook = playbook();
    let mut samples = Samples::default();
    for _ in 0..5 {
        samples.add("flow", "long", Unit::BusinessDays, 10);
        samples.add("flow", "short", Unit::BusinessDays, 1);
        samples.add("flow", "extra", Unit::BusinessDays, 30);
        samples.add("flow", "last", Unit::BusinessDays, 1);
        samples.add("flow", "plain", Unit::BusinessDays, 1);
    }
    samples.finish();
    let file = project(&playbook, &[("x", "2026-03-04T09:00:00-03:00")]);
    let fc = forecast(&playbook, &file, &samples, "2026-03-04T09:00:00-03:00", 1).unwrap();
    let critical: Vec<(&str, u32)> = fc.critical.iter().map(|c| (c.id.as_str(), c.trials)).collect();
    assert_eq!(critical, [("long", 400), ("last", 400), ("plain", 400)]);
    // The optional step's 30 days are forecast, but do not move the end: 10 + 1 + 1
    // business days after Wednesday 4 March is Friday 20 March.
    let extra = fc.steps.iter().find(|s| s.id == "extra").unwrap();
    assert!(extra.optional);
    // (Thursday 2 and Friday 3 April are Holy Week holidays in Paraguay.)
    assert_eq!(extra.finish.p50, at("2026-04-17T09:00:00-03:00"));
    assert_eq!(fc.end.p50, at("2026-03-20T09:00:00-03:00"));
    let q = fc.phases.iter().find(|p| p.id == "q").unwrap();
    assert_eq!(q.finish.p50, at("2026-03-20T09:00:00-03:00"));
}

#[test]
fn a_finished_project_has_no_forecast() {
    let playbook = playbook();
    let steps = [
        ("x", "2026-03-03T09:00:00-03:00"),
        ("long", "2026-03-04T09:00:00-03:00"),
        ("short", "2026-03-04T09:00:00-03:00"),
        ("extra", "2026-03-04T09:00:00-03:00"),
        ("last", "2026-03-05T09:00:00-03:00"),
        ("plain", "2026-03-06T09:00:00-03:00"),
    ];
    let file = project(&playbook, &steps);
    assert!(forecast(&playbook, &file, &Samples::default(), "2026-03-09T09:00:00-03:00", 1).is_none());
}

/// `b` applies only if `a` records `ok`; `c` follows `b`.
const CONDITIONAL: &str = "id: cond\ntitle: Cond\ncalendar: PY\nroles:\n  - id: ops\nphases:
  - id: p\n    title: P\n    owner: ops\n    steps:
      - id: a\n        title: A\n        owner: ops\n        fields:\n          - name: ok\n            type: bool
      - id: b\n        title: B\n        owner: ops\n        when: ok
      - id: c\n        title: C\n        owner: ops\n";

#[test]
fn a_step_whose_condition_is_undecided_is_forecast_as_applying_and_says_so() {
    let playbook = parse(CONDITIONAL, "cond.yaml", Origin::Bundled).unwrap();
    let file = project(&playbook, &[]);
    let fc = forecast(&playbook, &file, &Samples::default(), "2026-03-02T09:00:00-03:00", 1).unwrap();
    let seen: Vec<(&str, bool, Source)> =
        fc.steps.iter().map(|s| (s.id.as_str(), s.undecided, s.source)).collect();
    let default = Source::Default { samples: 0 };
    assert_eq!(seen, [("a", false, default), ("b", true, default), ("c", false, default)]);
    // A business day each, one after the other: Tuesday 3, Wednesday 4, Thursday 5.
    assert_eq!(fc.end.p50, at("2026-03-05T09:00:00-03:00"));
    // Once `a` records `ok: false`, `b` does not apply: it is not forecast, nor waited for.
    let mut values = BTreeMap::new();
    values.insert("ok".to_string(), crate::playbook::value::Value::Bool(false));
    let mut file = file;
    let a = playbook.resolve_step("a").unwrap();
    complete(&playbook, &mut file, a, &values, None, &stamp("2026-03-03T09:00:00-03:00"), &Earliest::Any)
        .unwrap();
    let fc = forecast(&playbook, &file, &Samples::default(), "2026-03-03T09:00:00-03:00", 1).unwrap();
    let ids: Vec<&str> = fc.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["c"]);
    assert_eq!(fc.end.p50, at("2026-03-04T09:00:00-03:00"));
}
