//! One value for each of the six steps, in walking order: the record's step sections and the
//! runbook's step guides share this shape.

use serde::{Deserialize, Serialize};

use super::step::Step;

/// A `T` for each step, serialized as a mapping `own:`, `stop:`, … in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerStep<T> {
    pub own: T,
    pub stop: T,
    pub assess: T,
    pub plan: T,
    pub inform: T,
    pub monitor: T,
}

impl<T> PerStep<T> {
    /// A value for every step, made by `make`.
    pub fn from_fn(mut make: impl FnMut(Step) -> T) -> Self {
        PerStep {
            own: make(Step::Own),
            stop: make(Step::Stop),
            assess: make(Step::Assess),
            plan: make(Step::Plan),
            inform: make(Step::Inform),
            monitor: make(Step::Monitor),
        }
    }

    /// The value of one step.
    pub fn get(&self, step: Step) -> &T {
        match step {
            Step::Own => &self.own,
            Step::Stop => &self.stop,
            Step::Assess => &self.assess,
            Step::Plan => &self.plan,
            Step::Inform => &self.inform,
            Step::Monitor => &self.monitor,
        }
    }

    /// The value of one step, to change it.
    pub fn get_mut(&mut self, step: Step) -> &mut T {
        match step {
            Step::Own => &mut self.own,
            Step::Stop => &mut self.stop,
            Step::Assess => &mut self.assess,
            Step::Plan => &mut self.plan,
            Step::Inform => &mut self.inform,
            Step::Monitor => &mut self.monitor,
        }
    }
}
