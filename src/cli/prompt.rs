//! Questions asked on a terminal. Every prompt has a flag: without a terminal, callers
//! turn a missing answer into an error that names the flag.

use anyhow::{Context as _, Result};
use dialoguer::{Confirm, Input, Select};

/// Lets the user pick one of `items`; returns its index.
pub fn select(prompt: &str, items: &[String]) -> Result<usize> {
    Select::new()
        .with_prompt(prompt)
        .items(items)
        .default(0)
        .interact()
        .context("the question was not answered")
}

/// Asks for a line of text, re-asking until `check` accepts it.
pub fn input<T>(prompt: &str, check: impl Fn(&str) -> Result<T, String>) -> Result<T> {
    loop {
        let answer: String =
            Input::new().with_prompt(prompt).interact_text().context("the question was not answered")?;
        match check(&answer) {
            Ok(value) => return Ok(value),
            Err(message) => eprintln!("{message}"),
        }
    }
}

/// Asks a yes-or-no question; no unless answered yes.
pub fn confirm(prompt: &str) -> Result<bool> {
    Confirm::new().with_prompt(prompt).default(false).interact().context("the question was not answered")
}
