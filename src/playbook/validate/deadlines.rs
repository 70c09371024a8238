//! Deadlines: a `deadline` or `not_before` read into a rule, and the variables, ids and
//! service levels its rule names checked against the playbook.

use std::collections::BTreeMap;

use serde_yaml::Value as Yaml;

use super::references::{all_ids, variable_names};
use super::{Checker, RuleKey};
use crate::playbook::model::Playbook;
use crate::playbook::raw::{RawDeadline, RawDuration};
use crate::playbook::rule::{
    Anchor, Count, Deadline, Roll, Rule, ServiceLevel, Span, Within, parse_milestone,
};
use crate::playbook::value::{ValueKind, backticked, yaml_scalar};
use crate::text::join;

impl Checker {
    /// A `deadline` or a `not_before`: the same rule language, named by `what`.
    pub(super) fn deadline(&mut self, value: Option<&Yaml>, path: &str, what: RuleKey) -> Option<Deadline> {
        let (key, noun) = what;
        let path = join(path, key);
        let raw: RawDeadline = self.node(value?, &path, noun)?;
        let misplaced = match (&raw.at, &raw.within) {
            (Some(_), None) => [("from", raw.from.is_some()), ("service", raw.service.is_some())],
            (None, Some(_)) => [("count", raw.count.is_some()), ("roll", raw.roll.is_some())],
            _ => [("", false), ("", false)],
        };
        for (key, present) in misplaced {
            if present {
                let with = if raw.at.is_some() { "at" } else { "within" };
                self.key_error(
                    &join(&path, key),
                    format!("`{key}` does not go with `{with}` in {noun}"),
                    None,
                );
            }
        }
        let rule = match (raw.at, raw.within) {
            (Some(at), None) => self.milestone(&at, raw.count.as_deref(), raw.roll.as_deref(), &path)?,
            (None, Some(within)) => {
                let within = self.within(within, &path)?;
                let Some(from) = raw.from else {
                    let hint =
                        "e.g. `from: certification.start`, `from: project.start` or a date variable".into();
                    self.error(&path, format!("{noun} with `within` needs `from`"), Some(hint));
                    return None;
                };
                Rule::Window { within, from: Anchor::parse(&from), service: raw.service }
            }
            _ => {
                let hint = "`at: J-14` for a milestone, or `within: 10 business days` with `from:`".into();
                self.error(&path, format!("{noun} needs exactly one of `at` and `within`"), Some(hint));
                return None;
            }
        };
        Some(Deadline { rule, text: raw.text })
    }

    pub(super) fn milestone(
        &mut self,
        at: &str,
        count: Option<&str>,
        roll: Option<&str>,
        path: &str,
    ) -> Option<Rule> {
        let roll = match roll.map(Roll::parse).transpose() {
            Ok(roll) => roll.unwrap_or_default(),
            Err(message) => {
                let hint = "`back` (the default: the business day before), `forward` or `none`".to_string();
                self.error(&join(path, "roll"), message, Some(hint));
                return None;
            }
        };
        let count = match count {
            None | Some("calendar") => Count::Calendar,
            Some("business") => Count::Business,
            Some(other) => {
                let hint = "`calendar` (the default) or `business`".to_string();
                self.error(&join(path, "count"), format!("unknown count `{other}`"), Some(hint));
                return None;
            }
        };
        match parse_milestone(at) {
            Ok((milestone, days)) => Some(Rule::Milestone { milestone, days, count, roll }),
            Err(message) => {
                self.error(&join(path, "at"), message, None);
                None
            }
        }
    }

    pub(super) fn within(&mut self, raw: RawDuration, path: &str) -> Option<Within> {
        let path = join(path, "within");
        match raw {
            RawDuration::Text(text) => match Span::parse(&text) {
                Ok(span) => Some(Within::Fixed(span)),
                Err(message) => {
                    self.error(&path, message, None);
                    None
                }
            },
            RawDuration::Table(table) => {
                let mut spans = BTreeMap::new();
                self.table(&table.table, &join(&path, "table"), &mut Vec::new(), table.by.len(), &mut spans);
                Some(Within::Table { by: table.by, spans })
            }
        }
    }

    /// Walks a nested lookup table down to `depth` levels of keys.
    pub(super) fn table(
        &mut self,
        node: &Yaml,
        path: &str,
        keys: &mut Vec<String>,
        depth: usize,
        spans: &mut BTreeMap<Vec<String>, Span>,
    ) {
        if keys.len() == depth {
            match node.as_str().map(Span::parse) {
                Some(Ok(span)) => {
                    spans.insert(keys.clone(), span);
                }
                Some(Err(message)) => self.error(path, message, None),
                None => self.error(path, format!("expected a duration after {} keys", depth), None),
            }
            return;
        }
        let Yaml::Mapping(mapping) = node else {
            self.error(
                path,
                format!("expected a mapping keyed by the values of `by` ({depth} levels)"),
                None,
            );
            return;
        };
        for (key, value) in mapping {
            let key = key.as_str().map(str::to_string).unwrap_or_else(|| yaml_scalar(key));
            keys.push(key.clone());
            self.table(value, &join(path, &key), keys, depth, spans);
            keys.pop();
        }
    }

    pub(super) fn deadline_refs(
        &mut self,
        playbook: &Playbook,
        deadline: Option<&Deadline>,
        path: &str,
        key: &str,
    ) {
        let Some(deadline) = deadline else { return };
        let path = join(path, key);
        match &deadline.rule {
            Rule::Milestone { milestone, .. } => {
                self.date_variable(playbook, milestone, &join(&path, "at"), &[ValueKind::Date]);
            }
            Rule::Window { within, from, service } => {
                let from_path = join(&path, "from");
                match from {
                    Anchor::ProjectStart => {}
                    Anchor::Started(id) | Anchor::Done(id)
                        if playbook.node(id).is_none() && !self.broken.contains(id) =>
                    {
                        let hint = self.suggest(id, all_ids(playbook), "ids");
                        self.error(
                            &from_path,
                            format!("`from` names `{id}`, which is no phase or step"),
                            Some(hint),
                        );
                    }
                    Anchor::Started(_) | Anchor::Done(_) => {}
                    Anchor::Variable(name) => {
                        self.date_variable(
                            playbook,
                            name,
                            &from_path,
                            &[ValueKind::Date, ValueKind::DateTime],
                        );
                    }
                }
                if let Within::Table { by, spans } = within {
                    self.table_refs(playbook, by, spans, &join(&path, "within"));
                }
                if let Some(service) = service {
                    self.service_ref(playbook, service, &join(&path, "service"));
                }
            }
        }
    }

    pub(super) fn date_variable(&mut self, playbook: &Playbook, name: &str, path: &str, kinds: &[ValueKind]) {
        match playbook.kind_of(name) {
            None if self.broken.contains(name) => {}
            None => {
                let hint = self.suggest(name, variable_names(playbook), "variables and fields");
                self.error(path, format!("`{name}` is no variable or field"), Some(hint));
            }
            Some(kind) if !kinds.contains(kind) => {
                let wanted: Vec<&str> = kinds.iter().map(ValueKind::name).collect();
                self.error(
                    path,
                    format!("`{name}` is a {}, but a {} is needed", kind.name(), wanted.join(" or ")),
                    None,
                );
            }
            Some(_) => {}
        }
    }

    pub(super) fn table_refs(
        &mut self,
        playbook: &Playbook,
        by: &[String],
        spans: &BTreeMap<Vec<String>, Span>,
        path: &str,
    ) {
        for (i, name) in by.iter().enumerate() {
            let at = format!("{path}.by[{i}]");
            match playbook.kind_of(name) {
                Some(ValueKind::Choice(choices)) => {
                    for key in spans.keys() {
                        if !choices.contains(&key[i]) {
                            let message =
                                format!("the table has `{}`, which is not a value of `{name}`", key[i]);
                            self.error(
                                &at,
                                message,
                                Some(format!("`{name}` is one of {}", backticked(choices))),
                            );
                        }
                    }
                }
                Some(kind) => {
                    self.error(&at, format!("`{name}` is a {}; a table needs a choice", kind.name()), None);
                }
                None => {
                    let hint = self.suggest(name, variable_names(playbook), "variables and fields");
                    self.error(&at, format!("`{name}` is no variable or field"), Some(hint));
                }
            }
        }
    }

    pub(super) fn service_ref(&mut self, playbook: &Playbook, name: &str, path: &str) {
        let levels: Vec<String> = ServiceLevel::ALL.iter().map(|s| s.name().to_string()).collect();
        match playbook.kind_of(name) {
            Some(ValueKind::Choice(choices)) if choices.iter().all(|c| levels.contains(c)) => {}
            Some(_) => {
                let hint = format!("declare it as a choice among {}", backticked(&levels));
                self.error(
                    path,
                    format!("the service variable `{name}` must be a choice of service levels"),
                    Some(hint),
                );
            }
            None => self.error(path, format!("`{name}` is no variable or field"), None),
        }
    }
}
