//! The six crisis steps of the playbook, in order, each knowing what it is for, who carries it
//! and what it protects.

use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::config::Role;

/// One of the six steps, in the order they are walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Own,
    Stop,
    Assess,
    Plan,
    Inform,
    Monitor,
}

impl Step {
    /// The six steps in the order of the playbook.
    pub const ALL: [Step; 6] = [
        Step::Own,
        Step::Stop,
        Step::Assess,
        Step::Plan,
        Step::Inform,
        Step::Monitor,
    ];

    /// The key used in records, runbooks and answers files.
    pub fn key(self) -> &'static str {
        match self {
            Step::Own => "own",
            Step::Stop => "stop",
            Step::Assess => "assess",
            Step::Plan => "plan",
            Step::Inform => "inform",
            Step::Monitor => "monitor",
        }
    }

    /// Parse a step key (`own`, `stop`, …).
    pub fn from_key(key: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.key() == key)
    }

    /// 1-based position in the walk.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// The playbook's name for the step.
    pub fn title(self) -> &'static str {
        match self {
            Step::Own => "Own the problem",
            Step::Stop => "Put out the fire",
            Step::Assess => "Assess the damage",
            Step::Plan => "Create a plan",
            Step::Inform => "Inform and apologize",
            Step::Monitor => "Proceed carefully",
        }
    }

    /// Why the step matters.
    pub fn purpose(self) -> &'static str {
        match self {
            Step::Own => "Acknowledge early to keep credibility.",
            Step::Stop => {
                "Stop active harm (pause or stop the campaign) and escalate by severity; a data \
                 breach goes to IT/Security, who take charge."
            }
            Step::Assess => {
                "Find out how many subscribers and which segments were hit, what personal data \
                 was exposed, the cause, the cost, and whether Legal or law enforcement is needed."
            }
            Step::Plan => {
                "Decide what subscribers must be told and do, a proportional compensation, the \
                 systemic and process changes, and an owner for every fix."
            }
            Step::Inform => {
                "Send a clear, direct, branded apology to the affected subscribers only."
            }
            Step::Monitor => {
                "Watch inbox placement, reputation, bounces and complaints; expect a dip on the \
                 next send."
            }
        }
    }

    /// Who carries the step.
    pub fn responsible(self) -> &'static [Role] {
        match self {
            Step::Own => &[Role::Marketing, Role::Leadership],
            Step::Stop => &[Role::Marketing, Role::Security],
            Step::Assess => &[Role::Marketing, Role::Legal, Role::Security],
            Step::Plan => &Role::ALL,
            Step::Inform => &[Role::Marketing, Role::Legal],
            Step::Monitor => &[Role::Deliverability, Role::Marketing],
        }
    }

    /// The playbook's wording of who is responsible.
    pub fn responsibility(self) -> &'static str {
        match self {
            Step::Own => "Marketing + Leadership",
            Step::Stop => "Marketing + IT/Security",
            Step::Assess => "Marketing + Legal + Security",
            Step::Plan => "Cross-functional",
            Step::Inform => "Marketing + Legal",
            Step::Monitor => "Deliverability + Marketing",
        }
    }

    /// What the step does for deliverability and risk.
    pub fn impact(self) -> &'static str {
        match self {
            Step::Own => "Fewer complaints, less frustration.",
            Step::Stop => "Prevents more mis-sends or exposure.",
            Step::Assess => "Correct response, compliance.",
            Step::Plan => "Prevents repeats, accurate messaging.",
            Step::Inform => "Trust, fewer spam complaints, reputation.",
            Step::Monitor => "Catches reputation dips early.",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_trip_through_their_keys_in_order() {
        let keys: Vec<_> = Step::ALL.iter().map(|s| s.key()).collect();
        assert_eq!(keys, ["own", "stop", "assess", "plan", "inform", "monitor"]);
        for step in Step::ALL {
            assert_eq!(Step::from_key(step.key()), Some(step));
        }
        assert_eq!(Step::from_key("apologize"), None);
        assert_eq!(Step::Inform.number(), 5);
    }

    #[test]
    fn a_breach_goes_to_security_at_the_stop_step() {
        assert!(Step::Stop.responsible().contains(&Role::Security));
        assert_eq!(Step::Plan.responsible().len(), Role::ALL.len());
    }
}
