//! Errors with advice: the hint attached to an error, and reading the message, causes and
//! hints back out of a chain. The bottom of the crate: every layer attaches hints, and the
//! command line adds its advice on the domain's typed errors (`Advised`).

use std::fmt;

/// An error with advice on what to do about it.
#[derive(Debug)]
pub struct Hinted {
    pub error: anyhow::Error,
    pub hint: String,
}

impl fmt::Display for Hinted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl std::error::Error for Hinted {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.chain().nth(1)
    }
}

/// The command line's advice on one of the domain's typed errors, added as the error
/// leaves a command (`cli::hints`). Unlike `Hinted`, it keeps the error it wraps in the
/// chain, so that error can still be matched; its own text repeats that error's, which
/// `messages` drops.
#[derive(Debug)]
pub struct Advised {
    pub error: anyhow::Error,
    pub hint: String,
}

impl fmt::Display for Advised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl std::error::Error for Advised {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.error.as_ref())
    }
}

/// Attaches a hint to any error.
pub trait HintExt<T> {
    fn hint(self, hint: impl Into<String>) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> HintExt<T> for Result<T, E> {
    fn hint(self, hint: impl Into<String>) -> anyhow::Result<T> {
        self.map_err(|error| Hinted { error: error.into(), hint: hint.into() }.into())
    }
}

/// An error with a hint, from a message.
pub fn hinted(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    Hinted { error: anyhow::anyhow!(message.into()), hint: hint.into() }.into()
}

/// The message and its causes on one line, `: `-separated, as `--json` carries an error.
pub fn message(error: &anyhow::Error) -> String {
    messages(error).join(": ")
}

/// The hints attached anywhere in the chain, `; `-separated; `None` when there is none.
pub fn hint(error: &anyhow::Error) -> Option<String> {
    let hints = hints(error);
    (!hints.is_empty()).then(|| hints.join("; "))
}

/// The message, then each cause, without the repeats a `Hinted` wrapper adds.
pub(crate) fn messages(error: &anyhow::Error) -> Vec<String> {
    let mut chain = error.chain().map(|e| e.to_string()).collect::<Vec<_>>();
    chain.dedup();
    chain
}

/// The hints of a chain in its order: each `Hinted`'s and each `Advised`'s.
pub(crate) fn hints(error: &anyhow::Error) -> Vec<&str> {
    error.chain().filter_map(own_hint).filter(|h| !h.is_empty()).collect()
}

fn own_hint<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a str> {
    match error.downcast_ref::<Hinted>() {
        Some(hinted) => Some(hinted.hint.as_str()),
        None => error.downcast_ref::<Advised>().map(|advised| advised.hint.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn message_and_hint_read_the_whole_chain() {
        let error = Err::<(), _>(std::io::Error::other("permission denied"))
            .context("cannot write `.onboard/projects/coop.yaml`")
            .hint("check the folder's permissions")
            .unwrap_err();
        assert_eq!(message(&error), "cannot write `.onboard/projects/coop.yaml`: permission denied");
        assert_eq!(hint(&error).as_deref(), Some("check the folder's permissions"));
        assert_eq!(hint(&anyhow::anyhow!("no hint here")), None);
    }

    #[test]
    fn advice_keeps_the_error_it_wraps_in_the_chain() {
        let inner =
            anyhow::Error::new(std::io::Error::other("disk on fire")).context("cannot read `coop.yaml`");
        let error: anyhow::Error = Advised { error: inner, hint: "restore it from git".into() }.into();
        assert_eq!(message(&error), "cannot read `coop.yaml`: disk on fire");
        assert_eq!(hint(&error).as_deref(), Some("restore it from git"));
        assert!(error.chain().any(|e| e.is::<std::io::Error>()), "the wrapped error can still be matched");
    }
}
