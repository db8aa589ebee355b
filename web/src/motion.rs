//! What moves on the stage, and for how long.
//!
//! Motion has one meaning: something happened. A [`Flight`] is the picture
//! of exactly one trace event — an XADD, a delivery, an XACK, a claim, a
//! dead-letter move — starting when the clock passes the simulated instant
//! the event happened. Nothing else moves. Seeking, stepping back and
//! reduced motion show the new state at once ([`Motion::Instant`]).

use ackscope_engine::redis::Event;
use ackscope_engine::redis::db::stream_id::StreamId;
use ackscope_engine::sim::{EventRef, Events, SimEvent, What};

use crate::clock::Speed;

/// How the stage goes from the previous state to the current one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Motion {
    /// The clock moved forward through events: they travel.
    Travel,
    /// Seek, step back, reset, reload, reduced motion: no travel.
    #[default]
    Instant,
}

impl Motion {
    /// The stage's `data-motion` attribute, which the style sheet keys on.
    pub const fn attr(self) -> &'static str {
        match self {
            Motion::Travel => "travel",
            Motion::Instant => "instant",
        }
    }
}

/// What an event does, as it is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlightKind {
    /// XADD: an entry flies from its producer into the stream's tail.
    Append,
    /// XREADGROUP: a copy of the entry travels to a consumer; the entry
    /// stays in the stream.
    Deliver,
    /// XACK: the consumer's acknowledgement goes back to the entry.
    Ack,
    /// XCLAIM / XAUTOCLAIM: the pending entry moves to another consumer.
    Claim,
    /// A dead-letter move: the entry is carried to the dead-letter stream.
    DeadLetter,
}

impl FlightKind {
    /// The class suffix the style sheet colours each kind by (each also
    /// carries a word, so colour is never the only cue).
    pub const fn slug(self) -> &'static str {
        match self {
            FlightKind::Append => "append",
            FlightKind::Deliver => "deliver",
            FlightKind::Ack => "ack",
            FlightKind::Claim => "claim",
            FlightKind::DeadLetter => "dead",
        }
    }
}

/// A place on the stage a flight starts or ends at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// A producer, by name.
    Producer(String),
    /// Above the tail of a stream: a command from a client (a script step
    /// or the console).
    Client(String),
    /// An entry of a stream.
    Entry(String, StreamId),
    /// A consumer of a group: stream, group, consumer.
    Consumer(String, String, String),
}

/// One event in flight.
#[derive(Clone, Debug, PartialEq)]
pub struct Flight {
    /// Unique for the page's life: the key its element is drawn with, so
    /// each flight is animated exactly once.
    pub serial: u64,
    /// What it shows.
    pub kind: FlightKind,
    /// Where it starts.
    pub from: Anchor,
    /// Where it lands.
    pub to: Anchor,
    /// The entry's ID, as the engine gives it.
    pub id: StreamId,
    /// The delivery count it carries (deliveries and claims).
    pub delivery_count: Option<u64>,
    /// How long it travels, in wall-clock ms (fixed when it starts, so a
    /// change of speed does not make it jump).
    pub travel_ms: u32,
    /// When it started, in wall-clock ms (`performance.now()`), or 0 when
    /// a step, not the playing clock, started it.
    pub born: f64,
}

impl Flight {
    /// Whether it is still travelling at wall-clock time `now`.
    pub fn alive(&self, now: f64) -> bool {
        self.born + f64::from(self.travel_ms) > now
    }
}

impl FlightKind {
    /// Which flights to keep when more events happen than the eye can
    /// follow: the rare ones first (a dead letter, a claim), the steady
    /// stream of appends last.
    pub const fn rank(self) -> u8 {
        match self {
            FlightKind::DeadLetter => 0,
            FlightKind::Claim => 1,
            FlightKind::Deliver => 2,
            FlightKind::Ack => 3,
            FlightKind::Append => 4,
        }
    }
}

/// At most this many flights travel at once while the clock plays: more
/// would be a blur, not a picture of what happened. The events they leave
/// out still happen on the stage, without travelling.
pub const MAX_ALIVE: usize = 8;

/// Flights kept on the page: old ones have landed and are invisible, but
/// a burst at 16× must not grow the page without bound.
pub const MAX_FLIGHTS: usize = 16;

/// How long a flight takes in wall-clock milliseconds at `speed`: slow
/// enough to follow at 1×, short enough not to pile up at 16×.
pub fn travel_ms(speed: Speed) -> u32 {
    match speed {
        Speed::Quarter => 1400,
        Speed::Half => 1100,
        Speed::One => 850,
        Speed::Two => 600,
        Speed::Four => 420,
        Speed::Eight => 300,
        Speed::Sixteen => 220,
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The flights of `events` (in order), numbered from `serial`, each
/// travelling for `travel_ms` from wall-clock time `born`.
pub fn flights(events: Events<'_>, serial: u64, travel_ms: u32, born: f64) -> Vec<Flight> {
    let mut out = Vec::new();
    for event in events {
        if let Some((kind, from, to, id, delivery_count)) = flight_of(&event, events) {
            out.push(Flight {
                serial: serial + out.len() as u64,
                kind,
                from,
                to,
                id,
                delivery_count,
                travel_ms,
                born,
            });
        }
    }
    out
}

type Parts = (FlightKind, Anchor, Anchor, StreamId, Option<u64>);

fn flight_of(event: &EventRef<'_>, all: Events<'_>) -> Option<Parts> {
    match &*event.what {
        What::Redis(Event::EntryAdded { key, id, .. }) => {
            // A producer's or a dead-letter move's XADD is drawn by the
            // actor event of the same action, which knows who sent it.
            let start = all.partition_point(|e| e.action < event.action);
            let end = all.partition_point(|e| e.action <= event.action);
            let drawn_elsewhere = all
                .slice(start..end)
                .iter()
                .any(|other| adds_entry(&other.what, key, *id));
            let to = Anchor::Entry(text(key), *id);
            (!drawn_elsewhere)
                .then(|| (FlightKind::Append, Anchor::Client(text(key)), to, *id, None))
        }
        What::Sim(SimEvent::Produced {
            producer,
            target,
            id,
            accepted: true,
            ..
        }) => {
            let id = id.get()?;
            Some((
                FlightKind::Append,
                Anchor::Producer(text(producer)),
                Anchor::Entry(text(target), id),
                id,
                None,
            ))
        }
        What::Redis(Event::EntryDelivered {
            key,
            group,
            consumer,
            id,
            delivery_count,
            ..
        }) => Some((
            FlightKind::Deliver,
            Anchor::Entry(text(key), *id),
            Anchor::Consumer(text(key), text(group), text(consumer)),
            *id,
            Some(*delivery_count),
        )),
        What::Redis(Event::EntryAcked {
            key,
            group,
            consumer,
            id,
        }) => Some((
            FlightKind::Ack,
            Anchor::Consumer(text(key), text(group), text(consumer)),
            Anchor::Entry(text(key), *id),
            *id,
            None,
        )),
        What::Redis(Event::EntryClaimed(c)) => {
            // A consumer claiming its own entry gets it anew from the
            // stream; a claim from another consumer moves between cards.
            let origin = match c.from == c.to {
                true => Anchor::Entry(text(&c.key), c.id),
                false => Anchor::Consumer(text(&c.key), text(&c.group), text(&c.from)),
            };
            let to = Anchor::Consumer(text(&c.key), text(&c.group), text(&c.to));
            Some((FlightKind::Claim, origin, to, c.id, Some(c.delivery_count)))
        }
        What::Sim(SimEvent::DeadLettered(d)) => Some((
            FlightKind::DeadLetter,
            Anchor::Entry(text(&d.from), d.id),
            Anchor::Entry(text(&d.to), d.new_id),
            d.id,
            Some(d.deliveries),
        )),
        _ => None,
    }
}

/// Whether `what` is an actor event that appended entry `id` to `key`.
fn adds_entry(what: &What, key: &[u8], id: StreamId) -> bool {
    match what {
        What::Sim(SimEvent::Produced { target, id: i, .. }) => target == key && i.get() == Some(id),
        What::Sim(SimEvent::DeadLettered(d)) => d.to == key && d.new_id == id,
        _ => false,
    }
}

/// Adds `new` flights to `flying` at wall-clock time `now`: while the
/// clock plays (`now` is known) only as many as keep [`MAX_ALIVE`] in the
/// air, rarest kinds first; for a step, all of them. Landed flights are
/// dropped once [`MAX_FLIGHTS`] are kept.
pub fn admit(flying: &[Flight], mut new: Vec<Flight>, now: Option<f64>) -> Vec<Flight> {
    if let Some(now) = now {
        let room = MAX_ALIVE.saturating_sub(flying.iter().filter(|f| f.alive(now)).count());
        new.sort_by_key(|f| (f.kind.rank(), f.serial));
        new.truncate(room);
        new.sort_by_key(|f| f.serial);
    }
    let mut all: Vec<Flight> = flying.iter().cloned().chain(new).collect();
    all.drain(..all.len().saturating_sub(MAX_FLIGHTS));
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::Run;

    #[test]
    fn a_busy_clock_admits_the_rarest_flights_first_and_a_step_admits_all() {
        let run = Run::builtin("stream-dead-letter", 4, Vec::new()).unwrap();
        let all = flights(run.timeline().events(), 0, 800, 1000.0);
        let admitted = admit(&[], all.clone(), Some(1000.0));
        assert_eq!(admitted.len(), MAX_ALIVE);
        assert_eq!(
            admitted
                .iter()
                .filter(|f| f.kind == FlightKind::DeadLetter)
                .count(),
            1
        );
        assert!(admitted.windows(2).all(|w| w[0].serial < w[1].serial));
        // Once they have landed there is room again.
        assert_eq!(admit(&admitted, all.clone(), Some(1000.0)).len(), MAX_ALIVE);
        assert_eq!(
            admit(&admitted, all.clone(), Some(1800.0)).len(),
            2 * MAX_ALIVE
        );
        assert_eq!(admit(&[], all[..3].to_vec(), None).len(), 3);
    }

    fn kinds(name: &str, seed: u64) -> Vec<(FlightKind, Anchor, Anchor)> {
        let run = Run::builtin(name, seed, Vec::new()).unwrap();
        flights(run.timeline().events(), 0, 1, 0.0)
            .into_iter()
            .map(|f| (f.kind, f.from, f.to))
            .collect()
    }

    #[test]
    fn each_entry_added_flies_once_from_whoever_added_it() {
        let all = kinds("stream-dead-letter", 4);
        let appends: Vec<_> = all
            .iter()
            .filter(|(kind, _, _)| *kind == FlightKind::Append)
            .collect();
        assert_eq!(
            appends.len(),
            12,
            "12 payments, the dead letter flies as a move"
        );
        assert!(
            appends
                .iter()
                .all(|(_, from, _)| *from == Anchor::Producer("payment".into()))
        );
        let dead: Vec<_> = all
            .iter()
            .filter(|(kind, _, _)| *kind == FlightKind::DeadLetter)
            .collect();
        assert_eq!(dead.len(), 1);
        assert!(matches!(&dead[0].2, Anchor::Entry(key, _) if key == "payments:dead"));
    }

    #[test]
    fn scripted_commands_fly_from_the_client_and_claims_between_consumers() {
        let script = kinds("seed-offset-vs-pending", 2);
        assert!(
            script
                .iter()
                .any(|(kind, from, _)| *kind == FlightKind::Append
                    && *from == Anchor::Client("mybook".into()))
        );
        let claims = kinds("stream-consumer-crash-claim", 7);
        assert!(
            claims
                .iter()
                .any(|(kind, from, to)| *kind == FlightKind::Claim
                    && matches!(from, Anchor::Consumer(_, _, c) if c == "w1")
                    && matches!(to, Anchor::Consumer(_, _, c) if c == "w2"))
        );
    }

    #[test]
    fn serials_count_up_from_the_given_one() {
        let run = Run::builtin("stream-dead-letter", 4, Vec::new()).unwrap();
        let serials: Vec<u64> = flights(run.timeline().events(), 100, 1, 0.0)
            .iter()
            .map(|f| f.serial)
            .collect();
        assert_eq!(serials[0], 100);
        assert!(serials.windows(2).all(|w| w[1] == w[0] + 1));
    }
}
