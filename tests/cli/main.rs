//! The integration tests: the real `onboard` binary in a temporary directory, with a
//! cleared environment and a fixed clock, asserting whole outputs and exit codes. Where a
//! process per step would cost too much, the library is driven in-process instead, with
//! one pass through the binary kept beside it (`cli/play.rs`).
//!
//! Long outputs live in `tests/expected/`; run with `SNAPSHOTS=overwrite` to rewrite them
//! after an intended change, then review the diff.
//!
//! Portfolio commands use their cache, in a folder of each workspace's own; run with
//! `ONBOARD_TEST_NO_CACHE=1` to run every test without it (`cli/cache.rs` compares both
//! ways in any run).

mod basics;
mod cache;
mod completion;
mod confined;
mod corpus;
mod crash;
mod diff;
mod doctor;
mod ecosystem;
mod errors;
mod everyday;
mod forecast;
mod format;
mod harness;
mod hostile;
mod json;
mod layers;
mod lifecycle;
mod members;
mod output;
mod play;
mod portfolio;
mod properties;
mod readme;
mod report;
mod retract;
mod show;
mod shown;
mod site;
mod startup;
mod stats;
mod team;
mod time;
mod ui;
mod ux;
mod width;
