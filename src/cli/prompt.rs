//! Questions asked on a terminal (dialoguer, on stderr). Every prompt has a flag: without
//! a terminal, callers turn a missing answer into an error that names the flag.
//!
//! What to ask is decided by pure functions (`question`, `round_or_completion`), tested
//! without a terminal. Each answered question leaves one line, `question: answer`.
//! dialoguer clears one row per line it drew, so a question and answer wider than the
//! terminal would leave their first rows behind and the answer would show twice: the
//! rows are counted and cleared here, and list items are cut to the terminal's width.

use anyhow::{Context as _, Result};
use dialoguer::console::{Term, measure_text_width, truncate_str};
use dialoguer::{Confirm, Input, Select};

use crate::playbook::value::{Value, ValueKind};
use crate::playbook::{Step, Variable};
use crate::render::{one_line, printable};

const UNANSWERED: &str = "the question was not answered";

/// How to ask for one value, decided without a terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// ``3.1 `contact-list` — contactos (text, required)``
    pub prompt: String,
    /// The value's description, shown on the line above the prompt.
    pub about: Option<String>,
    pub form: Form,
}

/// The kind of question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// A line of text, read as the value's kind; a refusal says why and asks again.
    Line,
    /// `y` or `n`.
    YesNo,
    /// One of these, picked from a list.
    Pick(Vec<String>),
}

/// How to ask for `variable` (a step's field or a playbook's variable); `subject` names
/// what it belongs to: ``3.1 `contact-list` ``, ``playbook `data-import` ``. A date or a
/// URL says the form it is written in.
pub fn question(subject: &str, variable: &Variable) -> Question {
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
    if variable.required {
        what.push_str(", required");
    }
    Question {
        prompt: one_line(&format!("{subject} — {} ({what})", variable.name)).into_owned(),
        about: variable.description.clone(),
        form,
    }
}

/// The question for a repeatable step completed without `--repeat` or `--done`: the
/// prompt and the two answers, a round first (index 0) as the safer one: a completion
/// taken by mistake needs a `reopen`. `round` is the number the round would have.
pub fn round_or_completion(step: &Step, round: usize) -> (String, [String; 2]) {
    (
        format!("{} is repeatable; record", step.named()),
        [format!("round {round} (the step stays open)"), "its completion (the step is done)".to_string()],
    )
}

/// Asks `question` on the terminal until the answer reads as a value of `kind`.
pub fn ask(question: &Question, kind: &ValueKind) -> Result<Value> {
    let term = Term::stderr();
    if let Some(about) = &question.about {
        term.write_line(&printable(about))?;
    }
    match &question.form {
        Form::Line => line(&term, &question.prompt, |text| kind.parse(text)),
        Form::YesNo => {
            let yes = Confirm::new()
                .with_prompt(&question.prompt)
                .report(false)
                .interact_on(&term)
                .context(UNANSWERED)?;
            // Confirm writes `PROMPT [y/n] ` and clears its last row.
            erase_above(&term, measure_text_width(&question.prompt) + " [y/n] ".len())?;
            answered(&term, &question.prompt, if yes { "yes" } else { "no" })?;
            Ok(Value::Bool(yes))
        }
        Form::Pick(choices) => {
            let index = pick(&term, &question.prompt, choices)?;
            Ok(Value::Choice(choices[index].clone()))
        }
    }
}

/// Lets the user pick one of `items`; returns its index.
pub fn select(prompt: &str, items: &[String]) -> Result<usize> {
    pick(&Term::stderr(), prompt, items)
}

/// Asks for a line of text, re-asking until `check` accepts it.
pub fn input<T>(prompt: &str, check: impl Fn(&str) -> Result<T, String>) -> Result<T> {
    line(&Term::stderr(), prompt, check)
}

fn line<T>(term: &Term, prompt: &str, check: impl Fn(&str) -> Result<T, String>) -> Result<T> {
    loop {
        let answer: String = Input::new()
            .with_prompt(prompt)
            .allow_empty(true)
            .report(false)
            .interact_text_on(term)
            .context(UNANSWERED)?;
        // Input writes `PROMPT: ANSWER` and clears its last row.
        erase_above(term, measure_text_width(prompt) + 2 + measure_text_width(&answer))?;
        match check(&answer) {
            Ok(value) => {
                answered(term, prompt, &answer)?;
                return Ok(value);
            }
            Err(reason) => term.write_line(&format!("{}; try again", printable(&reason)))?,
        }
    }
}

/// The prompt on its own line, the items below it (cut to the terminal's width), then
/// the line `PROMPT: ITEM`.
fn pick(term: &Term, prompt: &str, items: &[String]) -> Result<usize> {
    let columns = usize::from(term.size().1);
    term.write_line(&format!("{prompt}:"))?;
    let shown: Vec<String> = items
        .iter()
        .map(|item| truncate_str(&one_line(item), columns.saturating_sub(3), "…").into_owned())
        .collect();
    let index = Select::new().items(&shown).default(0).interact_on(term).context(UNANSWERED)?;
    term.clear_last_lines(rows(measure_text_width(prompt) + 1, columns))?;
    answered(term, prompt, &items[index])?;
    Ok(index)
}

/// Clears the rows above the cursor that a line `width` columns wide wrapped onto; the
/// prompt has cleared the row the cursor is on.
fn erase_above(term: &Term, width: usize) -> Result<()> {
    let rows = rows(width, usize::from(term.size().1));
    term.clear_last_lines(rows - 1)?;
    Ok(())
}

/// The rows a line `width` columns wide takes on a terminal `columns` wide (at least one).
fn rows(width: usize, columns: usize) -> usize {
    width.div_ceil(columns.max(1)).max(1)
}

/// The one line an answered question leaves.
fn answered(term: &Term, prompt: &str, answer: &str) -> Result<()> {
    term.write_line(&format!("{prompt}: {}", printable(answer.trim())))?;
    Ok(())
}

/// Asks a yes-or-no question; no unless answered yes.
pub fn confirm(prompt: &str) -> Result<bool> {
    Confirm::new().with_prompt(prompt).default(false).interact().context(UNANSWERED)
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
        let asked = question("3.1 `contact-list`", &field(ValueKind::Text, true, Some(about)));
        assert_eq!(
            asked,
            Question {
                prompt: "3.1 `contact-list` — contactos (text, required)".into(),
                about: Some(about.into()),
                form: Form::Line,
            }
        );
        let optional = question("playbook `data-import`", &field(ValueKind::Number, false, None));
        assert_eq!(optional.prompt, "playbook `data-import` — contactos (number)");
    }

    #[test]
    fn dates_and_urls_say_their_form_bools_are_yes_or_no_choices_a_list() {
        let prompt = |kind| question("3.2.3 `technical-meeting-date`", &field(kind, true, None));
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

    #[test]
    fn rows_count_what_wraps() {
        assert_eq!(rows(0, 80), 1);
        assert_eq!(rows(80, 80), 1);
        assert_eq!(rows(81, 80), 2);
        assert_eq!(rows(161, 80), 3);
        assert_eq!(rows(5, 0), 5);
    }
}
