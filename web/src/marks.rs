//! What the timeline marks: when events happened and when faults and the
//! user's commands did, computed once per run from its trace.

use ackscope_engine::sim::{Injection, SimEvent, What};

use crate::run::{Run, event_ms};

/// At most this many event ticks: more would be thinner than a pixel.
const MAX_TICKS: usize = 400;

/// A fault or a user's change on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    /// When (ms since the start).
    pub ms: u64,
    /// What: `crash`, `restart`, `slow`, `disconnect` or `console`.
    pub kind: &'static str,
    /// Who: the worker, or the console's command line.
    pub who: String,
    /// Whether the user added it (a fault button or the console).
    pub yours: bool,
}

/// The timeline's marks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    /// When the run ends.
    pub end_ms: u64,
    /// Distinct moments with events, thinned to [`MAX_TICKS`].
    pub ticks: Vec<u64>,
    /// Faults and console commands, by time.
    pub faults: Vec<Mark>,
}

impl Marks {
    /// The marks of `run`.
    pub fn of(run: &Run) -> Marks {
        let end_ms = run.end_ms().max(1);
        let mut ticks: Vec<u64> = Vec::new();
        let mut faults = Vec::new();
        for event in run.timeline().events() {
            let ms = event_ms(&event);
            let bucket = |ms: u64| ms * MAX_TICKS as u64 / end_ms;
            if ticks.last().is_none_or(|last| bucket(*last) != bucket(ms)) {
                ticks.push(ms);
            }
            let fault = match &*event.what {
                What::Sim(actor) => fault_of(actor),
                What::Kafka(k) => kafka_fault_of(k),
                What::Redis(_) => None,
            };
            if let Some((kind, who)) = fault {
                let yours = run
                    .injections()
                    .iter()
                    .any(|i| matches!(i, Injection::Fault(f) if f.at_ms == ms && f.role.as_deref().unwrap_or_default() == who));
                faults.push(Mark {
                    ms,
                    kind,
                    who,
                    yours,
                });
            }
        }
        for injection in run.injections() {
            if let Injection::Console { at_ms, line, .. } = injection {
                faults.push(Mark {
                    ms: *at_ms,
                    kind: "console",
                    who: line.clone(),
                    yours: true,
                });
            }
        }
        faults.sort_by_key(|m| m.ms);
        Marks {
            end_ms,
            ticks,
            faults,
        }
    }
}

fn fault_of(event: &SimEvent) -> Option<(&'static str, String)> {
    let name = |w: &[u8]| String::from_utf8_lossy(w).into_owned();
    match event {
        SimEvent::Crashed { worker } => Some(("crash", name(worker))),
        SimEvent::Restarted { worker } => Some(("restart", name(worker))),
        SimEvent::Slowed { worker, .. } => Some(("slow", name(worker))),
        SimEvent::NetworkDown { client, .. } => Some(("disconnect", name(client))),
        SimEvent::ReplyLost { client, .. } => Some(("lose-reply", name(client))),
        SimEvent::BrokerCrashed { .. } => Some(("broker-crash", String::new())),
        SimEvent::BrokerRestarted { .. } => Some(("broker-restart", String::new())),
        _ => None,
    }
}

/// A Kafka broker fault as a mark: its kind and the broker.
fn kafka_fault_of(event: &ackscope_engine::kafka::Event) -> Option<(&'static str, String)> {
    use ackscope_engine::kafka::Event;
    let broker = |b: &u32| format!("broker-{b}");
    match event {
        Event::BrokerKilled { broker: b } => Some(("broker-crash", broker(b))),
        Event::BrokerRestarted { broker: b } => Some(("broker-restart", broker(b))),
        Event::BrokerIsolated { broker: b } => Some(("disconnect", broker(b))),
        Event::FollowerSlowed { broker: b, .. } => Some(("slow", broker(b))),
        Event::ProduceResponseLost { .. } => Some(("lose-reply", String::new())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crash_and_the_drains_restart_are_marked() {
        let run = Run::builtin("stream-consumer-crash-claim", 7, Vec::new()).unwrap();
        let marks = Marks::of(&run);
        let kinds: Vec<(u64, &str, &str)> = marks
            .faults
            .iter()
            .map(|m| (m.ms, m.kind, m.who.as_str()))
            .collect();
        assert_eq!(kinds[0], (2500, "crash", "w1"));
        assert!(kinds.contains(&(9000, "restart", "w1")));
        assert!(marks.ticks.len() <= MAX_TICKS && !marks.ticks.is_empty());
        assert!(marks.ticks.windows(2).all(|w| w[0] < w[1]));
    }
}
