//! Whether a record's answers are what its kind's runbook asks: each key a question of its
//! step, each value of that question's type — the rules an answers file is held to, applied
//! to a record that may have been edited by hand (`affected_count: lots`).

use chrono::{DateTime, Utc};

use super::model::Runbook;
use crate::incident::{CLOCK_SKEW, Flaw, Incident, Step, step_field};
use crate::yaml_lines::Segment;

/// Every answer of `incident` that its runbook does not ask, or that is not of its type.
pub fn answer_flaws(runbook: &Runbook, incident: &Incident, now: DateTime<Utc>) -> Vec<Flaw> {
    let mut flaws = Vec::new();
    for step in Step::ALL {
        let guide = runbook.steps.get(step);
        for (key, answer) in &incident.steps.get(step).answers {
            let mut at = step_field(step, "answers");
            at.push(Segment::key(key));
            let Some(question) = guide.question(key) else {
                let valid: Vec<&str> = guide.questions.iter().map(|q| q.id.as_str()).collect();
                flaws.push(Flaw::new(
                    at,
                    format!(
                        "{key:?} is not a question of step {step} for kind {}",
                        runbook.kind
                    ),
                    &format!("the questions of {step} are: {}", valid.join(", ")),
                ));
                continue;
            };
            let Ok(value) = serde_yaml::to_value(answer) else {
                continue;
            };
            if let Err(message) = question.parse_value(&value, now + CLOCK_SKEW) {
                flaws.push(Flaw::new(
                    at,
                    message,
                    &format!("write it as `{key}: {}`", question.kind.example()),
                ));
            }
        }
    }
    flaws
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Answer;
    use crate::runbook::Catalog;

    #[test]
    fn unknown_keys_and_wrong_types_are_flaws() {
        let catalog = Catalog::load(std::path::Path::new("/nonexistent")).expect("built-ins");
        let runbook = catalog.get("wrong-segment").expect("runbook");
        let now = Utc::now();
        let mut incident = Incident::example(now);
        let assess = &mut incident.steps.assess.answers;
        assess.insert("affected_count".into(), Answer::Text("lots".into()));
        assess.insert("favourite_colour".into(), Answer::Text("blue".into()));
        let flaws = answer_flaws(runbook, &incident, now);
        let places: Vec<String> = flaws
            .iter()
            .map(|f| crate::yaml_lines::dotted(&f.at))
            .collect();
        assert_eq!(
            places,
            [
                "steps.assess.answers.affected_count",
                "steps.assess.answers.favourite_colour"
            ]
        );
        assert!(
            flaws[0].message.contains("expected a number"),
            "{}",
            flaws[0].message
        );
        assert_eq!(flaws[0].hint, "write it as `affected_count: 0`");
    }
}
