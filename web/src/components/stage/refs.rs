//! What the stage's parts share: how a reader picks something, the idle
//! scale of pending entries, and fitting text into SVG boxes.

use std::cell::RefCell;
use std::rc::Rc;

use ackscope_engine::redis::db::stream_id::StreamId;
use ackscope_engine::scenario::{Scenario, Source};
use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::motion::{Anchor, Flight, Motion};
pub use crate::shared::Shared;
use crate::state::Selection;

/// The current selection and how to change it.
#[derive(Clone, Debug, PartialEq)]
pub struct Pick {
    /// What the inspector shows.
    pub selection: Option<Selection>,
    /// Called with what the reader picked.
    pub on_select: Callback<Selection>,
}

impl Pick {
    /// Whether `selection` is the one shown.
    pub fn is(&self, selection: &Selection) -> bool {
        self.selection.as_ref() == Some(selection)
    }

    /// Mouse and keyboard handlers that pick `selection`: Enter and Space
    /// on a focused part do what a click does, as on a button.
    pub fn handlers(
        &self,
        selection: Selection,
    ) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
        let on_click = {
            let (on, selection) = (self.on_select.clone(), selection.clone());
            Callback::from(move |_: MouseEvent| on.emit(selection.clone()))
        };
        let on_key = {
            let on = self.on_select.clone();
            Callback::from(move |event: KeyboardEvent| {
                if matches!(event.key().as_str(), "Enter" | " ") {
                    event.prevent_default();
                    event.stop_propagation();
                    on.emit(selection.clone());
                }
            })
        };
        (on_click, on_key)
    }
}

/// The flights in the air, as the stage hands them to its parts: a part
/// that appears checks whether one of them is carrying it there. The stage
/// refills this one slot each time it draws; parts read it only when they
/// appear, so it is shared by a handle that never changes — a context
/// value that changed with every flight would redraw every part each time.
#[derive(Clone, Default)]
pub struct Landings(Rc<RefCell<Shared<Vec<Flight>>>>);

impl Landings {
    /// Puts the flights in the air now into the slot.
    pub fn fill(&self, flights: Shared<Vec<Flight>>) {
        *self.0.borrow_mut() = flights;
    }
}

impl PartialEq for Landings {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The class that makes a part appear only when its flight lands — for
/// parts that appeared because the clock moved forward through events and
/// that one of the flights in the air (`carries`) is bringing. Seeks, steps
/// back and reloads show everything at once, and so does an event whose
/// flight was left out when more happened than the eye can follow. Decided
/// when the part appears, so it never replays.
#[hook]
pub fn use_arrival<F>(carries: F) -> Option<&'static str>
where
    F: Fn(&Flight) -> bool + 'static,
{
    let motion = use_context::<Motion>().unwrap_or_default();
    let landings = use_context::<Landings>().unwrap_or_default();
    *use_state(move || arrival(motion, &landings.0.borrow(), carries))
}

/// Whether a flight carries entry `id` of stream `key` onto the tape: an
/// XADD, or a dead-letter move (whose flight lands on the *new* entry).
pub fn lands_on_entry(key: String, id: StreamId) -> impl Fn(&Flight) -> bool + 'static {
    move |f: &Flight| matches!(&f.to, Anchor::Entry(k, i) if *i == id && *k == key)
}

/// Whether a flight carries pending entry `id` to the consumer `holder`: a
/// delivery, or a claim.
pub fn lands_on_holder(holder: Anchor, id: StreamId) -> impl Fn(&Flight) -> bool + 'static {
    move |f: &Flight| f.id == id && f.to == holder
}

/// [`use_arrival`]'s decision, when a part appears.
fn arrival(
    motion: Motion,
    flights: &[Flight],
    carries: impl Fn(&Flight) -> bool,
) -> Option<&'static str> {
    (motion == Motion::Travel && flights.iter().any(carries)).then_some("arrive")
}

/// The `min-idle-time` after which each group's entries get claimed, from
/// the scenario's recovery workers: the mark on every idle bar.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IdleScale(Vec<(String, String, u64)>);

/// An idle bar's full length when no worker of the group claims.
const DEFAULT_SCALE_MS: u64 = 5000;

impl IdleScale {
    /// The thresholds of `scenario`'s services.
    pub fn of(scenario: &Scenario) -> IdleScale {
        let mut out = Vec::new();
        for service in &scenario.services {
            let Source::Group(g) = &service.source else {
                continue;
            };
            let least = service
                .workers
                .iter()
                .filter_map(|w| w.claim.as_ref())
                .map(|c| c.min_idle_ms)
                .min();
            if let Some(ms) = least {
                out.push((g.stream.clone(), g.group.clone(), ms));
            }
        }
        IdleScale(out)
    }

    /// The claim threshold of `group` on `key`, if any worker claims.
    pub fn threshold(&self, key: &str, group: &str) -> Option<u64> {
        self.0
            .iter()
            .find(|(k, g, _)| k == key && g == group)
            .map(|(_, _, ms)| *ms)
    }

    /// The idle time a full bar stands for.
    pub fn full_ms(&self, key: &str, group: &str) -> u64 {
        self.threshold(key, group)
            .map_or(DEFAULT_SCALE_MS, |ms| ms + ms / 2)
            .max(1)
    }
}

/// `text` shortened with an ellipsis to fit `width` units at font size
/// `size`. Widths are estimated (monospace and Latin at 0.6 em, Hangul
/// and other wide characters at 1 em), which errs on the short side.
pub fn fit(text: &str, width: f64, size: f64) -> String {
    let advance = |c: char| {
        if (c as u32) >= 0x1100 {
            size
        } else {
            0.6 * size
        }
    };
    let total: f64 = text.chars().map(advance).sum();
    if total <= width {
        return text.to_owned();
    }
    let mut used = advance('…');
    let mut out = String::new();
    for c in text.chars() {
        used += advance(c);
        if used > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A number of stage units as an SVG attribute.
pub fn n(value: f64) -> String {
    let mut out = String::with_capacity(8);
    push_n(&mut out, value);
    out
}

/// Appends `value` with one decimal to `out`. Integer arithmetic instead
/// of float formatting: the stage writes thousands of these per frame.
pub fn push_n(out: &mut String, value: f64) {
    use std::fmt::Write;
    // Saturating float-to-int cast; stage units are far below its range.
    let tenths = (value * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let tenths = tenths.unsigned_abs();
    let _ = write!(out, "{}.{}", tenths / 10, tenths % 10);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_decimal() {
        for (value, text) in [
            (0.0, "0.0"),
            (12.34, "12.3"),
            (12.35, "12.4"),
            (-0.26, "-0.3"),
            (780.0, "780.0"),
        ] {
            assert_eq!(n(value), text);
        }
    }

    #[test]
    fn text_fits_or_is_shortened() {
        assert_eq!(fit("order-7", 100.0, 12.0), "order-7");
        let short = fit("1700000000900-0 amount 90", 80.0, 12.0);
        assert!(
            short.ends_with('…') && short.chars().count() < 12,
            "{short}"
        );
        assert_eq!(fit("시작하는 이야기", 30.0, 12.0), "시…");
    }

    #[test]
    fn thresholds_come_from_the_claiming_workers() {
        let scenario =
            ackscope_engine::scenario::builtin::by_name("stream-consumer-crash-claim").unwrap();
        let scale = IdleScale::of(&scenario);
        assert_eq!(scale.threshold("orders", "billing"), Some(3000));
        assert_eq!(scale.full_ms("orders", "billing"), 4500);
        assert_eq!(scale.full_ms("orders", "other"), DEFAULT_SCALE_MS);
    }

    /// A part waits for its flight only when one carries it: an entry
    /// whose XADD flight was left out (too much in the air) shows at once;
    /// a dead letter waits for the move that lands on its new ID.
    #[test]
    fn a_part_waits_only_for_a_flight_that_carries_it() {
        use crate::motion::FlightKind;
        let id = |seq| StreamId {
            ms: 1_700_000_000_000,
            seq,
        };
        let entry = |key: &str, seq| Anchor::Entry(key.into(), id(seq));
        let consumer = Anchor::Consumer("orders".into(), "billing".into(), "w2".into());
        let flight = |kind, to, seq| Flight {
            serial: 0,
            kind,
            from: Anchor::Producer("order".into()),
            to,
            id: id(seq),
            delivery_count: None,
            travel_ms: 850,
            born: 0.0,
        };
        let flights = [
            flight(FlightKind::Append, entry("orders", 1), 1),
            flight(FlightKind::DeadLetter, entry("orders:dead", 0), 7),
            flight(FlightKind::Claim, consumer.clone(), 3),
        ];
        let travel = |carries: &dyn Fn(&Flight) -> bool| arrival(Motion::Travel, &flights, carries);
        assert_eq!(
            travel(&lands_on_entry("orders".into(), id(1))),
            Some("arrive")
        );
        assert_eq!(travel(&lands_on_entry("orders".into(), id(2))), None);
        assert_eq!(
            travel(&lands_on_entry("orders:dead".into(), id(0))),
            Some("arrive")
        );
        assert_eq!(travel(&lands_on_entry("orders".into(), id(7))), None);
        assert_eq!(
            travel(&lands_on_holder(consumer.clone(), id(3))),
            Some("arrive")
        );
        assert_eq!(travel(&lands_on_holder(consumer.clone(), id(1))), None);
        let elsewhere = Anchor::Consumer("orders".into(), "billing".into(), "w1".into());
        assert_eq!(travel(&lands_on_holder(elsewhere, id(3))), None);
        let carries = lands_on_entry("orders".into(), id(1));
        assert_eq!(arrival(Motion::Instant, &flights, carries), None);
    }
}
