//! Parsing a command line that names one of the commands people run most, with a tree of
//! that one subcommand: building every subcommand's arguments was most of clap's share of
//! `status PROJECT` (docs/performance.md). The whole tree still answers everything else
//! (help, versions, completions, every error), so what clap prints is the same.

use std::ffi::OsString;

use clap::{Args, FromArgMatches};

use super::{Cli, GlobalArgs, commands};

/// The command line `args` (the program's name first) as the whole tree parses it, when
/// its first argument names a command this knows and the lean tree accepts it as it is;
/// `None` otherwise, for `super::command()` to parse.
pub fn parse(args: &[OsString]) -> Option<Cli> {
    let name = args.get(1)?.to_str()?;
    let sub = clap::Command::new(name.to_string());
    // One arm per command: its own arguments, exactly as the `Command` enum derives them.
    let sub = match name {
        "status" => commands::status::StatusArgs::augment_args(sub),
        "check" => commands::check::CheckArgs::augment_args(sub),
        "next" => commands::next::NextArgs::augment_args(sub),
        "advance" => commands::advance::AdvanceArgs::augment_args(sub),
        "log" => commands::log::LogArgs::augment_args(sub),
        "explain" => commands::explain::ExplainArgs::augment_args(sub),
        _ => return None,
    };
    let tree =
        GlobalArgs::augment_args(clap::Command::new("onboard")).subcommand_required(true).subcommand(sub);
    let matches = tree.try_get_matches_from(args).ok()?;
    Cli::from_arg_matches(&matches).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(line: &[&str]) -> Result<String, clap::error::ErrorKind> {
        let matches = super::super::command().try_get_matches_from(line).map_err(|e| e.kind())?;
        Cli::from_arg_matches(&matches).map(|cli| format!("{cli:?}")).map_err(|e| e.kind())
    }

    #[test]
    fn a_lean_parse_is_the_whole_tree_parse_or_none() {
        let lines: &[&[&str]] = &[
            &["onboard", "status"],
            &["onboard", "status", "coop-central"],
            &["onboard", "status", "coop-central", "--json", "--soon-days", "5", "--dir", "/tmp/x"],
            &["onboard", "status", "--all", "--owner", "analyst", "--playbook", "cooperative"],
            &["onboard", "status", "coop", "--compact", "--as-of", "2026-03-02", "-q", "--color", "never"],
            &["onboard", "status", "--workspace", "w.yaml", "--no-cache", "--no-pager", "-v"],
            &["onboard", "check", "--owner", "analyst", "--json"],
            &["onboard", "next", "--me"],
            &["onboard", "advance", "coop", "3.1", "--set", "a=b", "--note", "sent", "--at", "2026-03-02"],
            &["onboard", "log", "coop", "--since", "2026-03-01"],
            &["onboard", "explain", "coop", "3.1"],
            // What only the whole tree answers.
            &["onboard", "status", "--help"],
            &["onboard", "status", "-h"],
            &["onboard", "status", "--version"],
            &["onboard", "status", "--jsn"],
            &["onboard", "status", "a", "b"],
            &["onboard", "status", "--compact", "--json"],
            &["onboard", "status", "--dir", "a", "--workspace", "b"],
            &["onboard", "status", "-q", "-v"],
            &["onboard", "status", "--color", "sometimes"],
            &["onboard", "advance"],
            &["onboard", "--dir", "a", "status"],
            &["onboard", "stat"],
            &["onboard", "help", "status"],
            &["onboard"],
        ];
        for line in lines {
            let args: Vec<OsString> = line.iter().map(OsString::from).collect();
            match (parse(&args), whole(line)) {
                (Some(lean), Ok(whole)) => assert_eq!(format!("{lean:?}"), whole, "{line:?}"),
                (Some(lean), Err(kind)) => panic!("{line:?}: lean {lean:?}, whole {kind:?}"),
                // The whole tree parses it, in its own words.
                (None, _) => {}
            }
        }
        // The lines people type take the lean way.
        for line in
            [&["onboard", "status", "coop"][..], &["onboard", "check"], &["onboard", "advance", "coop", "I"]]
        {
            let args: Vec<OsString> = line.iter().map(OsString::from).collect();
            assert!(parse(&args).is_some(), "{line:?}");
        }
    }
}
