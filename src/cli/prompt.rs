//! Questions asked on a terminal (on stderr). Every prompt has a flag: without a
//! terminal, callers turn a missing answer into an error that names the flag.
//!
//! What to ask is decided by pure functions (`question`, `round_or_completion`), tested
//! without a terminal; the keys are read in `keys`. Each answered question leaves one
//! line, `question: answer`, wrapped at word boundaries like every description shown.
//! Esc or Ctrl-C at any question cancels the command before anything is recorded: the
//! error `Cancelled`, exit code 130.

mod keys;

use anyhow::Result;
use dialoguer::console::Term;

use crate::error::cancelled;
use crate::playbook::value::{Value, ValueKind};
use crate::playbook::{Step, Variable};
use crate::render::{one_line, printable};

/// How to ask for one value, decided without a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Question {
    /// ``3.1 `contact-list` — contactos (text, required)``.
    pub prompt: String,
    /// The value's description, shown above the prompt.
    pub about: Option<String>,
    pub form: Form,
    /// The value it has now, which Enter keeps (or the item a list starts on).
    pub current: Option<String>,
    /// It may be left empty (Enter on an empty line, or the list's last item).
    pub optional: bool,
}

/// The kind of question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Form {
    /// A line of text, read as the value's kind; a refusal says why and asks again.
    Line,
    /// `y` or `n`.
    YesNo,
    /// One of these, picked from a list.
    Pick(Vec<String>),
}

/// The last item of the list for an optional choice.
const LEAVE_EMPTY: &str = "(leave it empty)";

/// How to ask for `variable` (a step's field or a playbook's variable); `subject` names
/// what it belongs to: ``3.1 `contact-list` ``, ``playbook `data-import` ``. A date or a
/// URL says the form it is written in; an optional value says Enter leaves it empty; a
/// current value is shown and kept by Enter.
pub(super) fn question(subject: &str, variable: &Variable, current: Option<&Value>) -> Question {
    let (form, format) = match &variable.kind {
        ValueKind::Bool => (Form::YesNo, None),
        ValueKind::Choice(choices) => (Form::Pick(choices.clone()), None),
        ValueKind::Date => (Form::Line, Some("YYYY-MM-DD")),
        ValueKind::DateTime => (Form::Line, Some("YYYY-MM-DDTHH:MM:SS+HH:MM")),
        ValueKind::Url => (Form::Line, Some("https://…")),
        ValueKind::Text | ValueKind::Number => (Form::Line, None),
    };
    let mut what = variable.kind.name().to_string();
    if let Some(format) = format {
        what = format!("{what} {format}");
    }
    let optional = !variable.required && current.is_none();
    // A list says how to leave it empty with an item of its own.
    match (variable.required, optional && !matches!(form, Form::Pick(_))) {
        (true, _) => what.push_str(", required"),
        (false, true) => what.push_str(", optional; Enter leaves it empty"),
        (false, false) => what.push_str(", optional"),
    }
    let current = current.map(|value| match value {
        Value::Bool(yes) => (if *yes { "yes" } else { "no" }).to_string(),
        other => other.to_string(),
    });
    Question {
        prompt: one_line(&format!("{subject} — {} ({what})", variable.name)).into_owned(),
        about: variable.description.clone(),
        form,
        current,
        optional,
    }
}

impl Question {
    /// The prompt as a line of text asks it: with ` [VALUE]`, the current value that
    /// Enter keeps. (The answered line leaves it out: the answer says it.)
    fn asking(&self) -> String {
        match &self.current {
            Some(current) => format!("{} [{}]", self.prompt, one_line(current)),
            None => self.prompt.clone(),
        }
    }
}

/// The question for a repeatable step completed without `--repeat` or `--done`: the
/// prompt and the two answers, a round first (index 0) as the safer one: a completion
/// taken by mistake needs a `reopen`. `round` is the number the round would have.
pub(super) fn round_or_completion(step: &Step, round: usize) -> (String, [String; 2]) {
    (
        format!("{} is repeatable; record", step.named()),
        [format!("round {round} (the step stays open)"), "its completion (the step is done)".to_string()],
    )
}

/// Asks `question` on the terminal until the answer reads as a value of `kind`; `None`
/// for an optional value left empty. Esc or Ctrl-C cancels the command (`Cancelled`).
pub(super) fn ask(question: &Question, kind: &ValueKind) -> Result<Option<Value>> {
    let term = super::ui::terminal();
    if let Some(about) = &question.about {
        for line in keys::wrapped(&printable(about), keys::columns(&term)) {
            term.write_line(&line)?;
        }
    }
    let current = question.current.as_deref();
    match &question.form {
        Form::Line => {
            let asking = question.asking();
            let empty = current.unwrap_or("(left empty)");
            line(&term, (&asking, &question.prompt, empty), |text| match (text.trim(), current) {
                ("", Some(current)) => kind.parse(current).map(Some),
                ("", None) if question.optional => Ok(None),
                _ => kind.parse(text).map(Some),
            })
        }
        Form::YesNo => {
            let default = current.map(|c| c == "yes");
            let answer =
                keys::yes_no(&term, &question.prompt, default, question.optional)?.ok_or_else(cancelled)?;
            let said = answer.map_or("(left empty)", |yes| if yes { "yes" } else { "no" });
            answered(&term, &question.prompt, said)?;
            Ok(answer.map(Value::Bool))
        }
        Form::Pick(choices) => {
            let mut items = choices.clone();
            if question.optional {
                items.push(LEAVE_EMPTY.to_string());
            }
            let start = current.and_then(|c| choices.iter().position(|choice| choice == c)).unwrap_or(0);
            let index = pick(&term, &question.prompt, &items, start)?;
            Ok(choices.get(index).map(|choice| Value::Choice(choice.clone())))
        }
    }
}

/// Lets the user pick one of `items`, starting on the first; returns its index.
pub(super) fn select(prompt: &str, items: &[String]) -> Result<usize> {
    pick(&super::ui::terminal(), prompt, items, 0)
}

/// Asks for a line of text, re-asking until `check` accepts it.
pub(super) fn input<T>(prompt: &str, check: impl Fn(&str) -> Result<T, String>) -> Result<T> {
    line(&super::ui::terminal(), (prompt, prompt, "(left empty)"), check)
}

/// Asks after `prompt` until `check` accepts the answer; the answered line is `asked:
/// ANSWER`, with `empty` standing for an empty answer (the current value Enter kept).
fn line<T>(
    term: &Term,
    (prompt, asked, empty): (&str, &str, &str),
    check: impl Fn(&str) -> Result<T, String>,
) -> Result<T> {
    loop {
        let answer = keys::line(term, prompt)?.ok_or_else(cancelled)?;
        match check(&answer) {
            Ok(value) => {
                answered(term, asked, if answer.trim().is_empty() { empty } else { &answer })?;
                return Ok(value);
            }
            Err(reason) => {
                for line in keys::wrapped(&format!("{}; try again", printable(&reason)), keys::columns(term))
                {
                    term.write_line(&line)?;
                }
            }
        }
    }
}

/// The prompt on its own lines, the items below it (filtered as you type when there are
/// many), then the line `PROMPT: ITEM`.
fn pick(term: &Term, prompt: &str, items: &[String], start: usize) -> Result<usize> {
    let lines = keys::wrapped(&format!("{prompt}:"), keys::columns(term));
    for line in &lines {
        term.write_line(line)?;
    }
    let index = keys::pick(term, items, start)?.ok_or_else(cancelled)?;
    term.clear_last_lines(lines.len())?;
    answered(term, prompt, &items[index])?;
    Ok(index)
}

/// The one line an answered question leaves, wrapped at word boundaries.
fn answered(term: &Term, prompt: &str, answer: &str) -> Result<()> {
    let text = format!("{prompt}: {}", printable(answer.trim()));
    for line in keys::wrapped(&text, keys::columns(term)) {
        term.write_line(&line)?;
    }
    Ok(())
}

/// Asks a yes-or-no question; no unless answered yes. Esc or Ctrl-C cancels.
pub(super) fn confirm(prompt: &str) -> Result<bool> {
    let term = super::ui::terminal();
    let answer = keys::yes_no(&term, prompt, Some(false), false)?.ok_or_else(cancelled)?;
    let yes = answer == Some(true);
    answered(&term, prompt, if yes { "yes" } else { "no" })?;
    Ok(yes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::catalog;

    fn field(kind: ValueKind, required: bool, description: Option<&str>) -> Variable {
        Variable {
            name: "contactos".into(),
            kind,
            required,
            default: None,
            description: description.map(String::from),
        }
    }

    #[test]
    fn a_question_names_the_step_the_field_its_type_and_whether_it_is_required() {
        let about = "Contactos técnico y operativo de la cooperativa.";
        let asked = question("3.1 `contact-list`", &field(ValueKind::Text, true, Some(about)), None);
        assert_eq!(
            asked,
            Question {
                prompt: "3.1 `contact-list` — contactos (text, required)".into(),
                about: Some(about.into()),
                form: Form::Line,
                current: None,
                optional: false,
            }
        );
        let optional = question("playbook `data-import`", &field(ValueKind::Number, false, None), None);
        assert_eq!(
            optional.prompt,
            "playbook `data-import` — contactos (number, optional; Enter leaves it empty)"
        );
        assert!(optional.optional);
    }

    #[test]
    fn a_current_value_is_shown_and_kept_by_enter() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 5, 28).unwrap();
        let asked = question("`opera`", &field(ValueKind::Date, true, None), Some(&Value::Date(date)));
        assert_eq!(asked.asking(), "`opera` — contactos (date YYYY-MM-DD, required) [2026-05-28]");
        assert_eq!(asked.prompt, "`opera` — contactos (date YYYY-MM-DD, required)");
        assert_eq!(asked.current.as_deref(), Some("2026-05-28"));
        // An optional value that has one is no longer left empty by Enter: it is kept.
        let set = question("`opera`", &field(ValueKind::Bool, false, None), Some(&Value::Bool(true)));
        assert_eq!(
            (set.prompt.as_str(), set.current.as_deref(), set.optional),
            ("`opera` — contactos (bool, optional)", Some("yes"), false)
        );
        // A list starts on the current choice rather than naming it.
        let choices = vec!["mail".to_string(), "call".to_string()];
        let pick = question(
            "3",
            &field(ValueKind::Choice(choices), true, None),
            Some(&Value::Choice("call".into())),
        );
        assert_eq!(pick.prompt, "3 — contactos (choice, required)");
        assert_eq!(pick.current.as_deref(), Some("call"));
    }

    #[test]
    fn dates_and_urls_say_their_form_bools_are_yes_or_no_choices_a_list() {
        let prompt = |kind| question("3.2.3 `technical-meeting-date`", &field(kind, true, None), None);
        assert_eq!(
            prompt(ValueKind::Date).prompt,
            "3.2.3 `technical-meeting-date` — contactos (date YYYY-MM-DD, required)"
        );
        assert_eq!(
            prompt(ValueKind::DateTime).prompt,
            "3.2.3 `technical-meeting-date` — contactos (datetime YYYY-MM-DDTHH:MM:SS+HH:MM, required)"
        );
        assert!(prompt(ValueKind::Url).prompt.ends_with("(url https://…, required)"));
        assert_eq!(prompt(ValueKind::Bool).form, Form::YesNo);
        let choices = vec!["defect".to_string(), "improvement".to_string()];
        assert_eq!(prompt(ValueKind::Choice(choices.clone())).form, Form::Pick(choices));
        assert!(prompt(ValueKind::Choice(vec![])).prompt.ends_with("(choice, required)"));
    }

    #[test]
    fn a_repeatable_step_offers_the_next_round_first() {
        let playbook = catalog::bundled("cooperative").unwrap().unwrap();
        let (_, step) = playbook.step("vpn-follow-up").unwrap();
        let (prompt, answers) = round_or_completion(step, 2);
        assert_eq!(prompt, "3.2.2 `vpn-follow-up` is repeatable; record");
        assert_eq!(answers, ["round 2 (the step stays open)", "its completion (the step is done)"]);
    }
}
