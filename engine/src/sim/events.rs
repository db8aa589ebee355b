//! The events of a run, kept compactly, and [`Events`], a view of
//! consecutive events that every reader of a trace takes.
//!
//! A run of a million messages makes eight million events. Kept as they are
//! made ([`TraceEvent`]: time, action, lane and what happened, 72 bytes),
//! they were 576 MB; but the events of one action share their time and lane
//! (an action is one step of one lane, at one instant), and their action
//! number is where they sit. The trace therefore keeps what happened, event
//! by event, and the time, lane and first event of each action once
//! (16 bytes an event less, 14 bytes an action more). Readers see each
//! event as an [`EventRef`], with the same fields, which serializes exactly
//! as the [`TraceEvent`] it stands for.
//!
//! What happened is kept in segments of a fixed size. Kept in one vector,
//! the trace was copied into a block twice its size each time it grew,
//! while the old block still held its place; in the browser, whose memory
//! never shrinks and whose allocator cannot remap pages as glibc does, the
//! last doubling alone (302 MB moved into 604 MB) set the run's peak.
//! Segments never move: the trace grows a segment at a time.

use alloc::vec::Vec;
use core::fmt;
use core::ops::{Bound, Range, RangeBounds};

use serde::Serialize;

use super::trace::{TraceEvent, What};
use crate::time::SimTime;

/// log2 of the events a segment holds: 65,536 events, 3.7 MB natively.
const SHIFT: u32 = 16;
/// The events a segment holds.
const SEGMENT: usize = 1 << SHIFT;

/// A vector kept in segments of 65,536 elements that never move (the
/// last one filling): growing it never copies what it holds.
#[derive(Clone, Debug, PartialEq)]
struct Segmented<T> {
    segments: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Segmented<T> {
    fn default() -> Self {
        Segmented {
            segments: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Segmented<T> {
    fn push(&mut self, value: T) {
        match self.segments.last_mut() {
            Some(last) if last.len() < SEGMENT => last.push(value),
            _ => {
                let mut segment = Vec::with_capacity(SEGMENT);
                segment.push(value);
                self.segments.push(segment);
            }
        }
        self.len += 1;
    }

    fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let kept = len.div_ceil(SEGMENT);
        self.segments.truncate(kept);
        if let Some(last) = self.segments.last_mut() {
            last.truncate(len - (kept - 1) * SEGMENT);
        }
        self.len = len;
    }

    fn get(&self, i: usize) -> Option<&T> {
        self.segments.get(i >> SHIFT)?.get(i & (SEGMENT - 1))
    }

    fn last_mut(&mut self) -> Option<&mut T> {
        self.segments.last_mut()?.last_mut()
    }

    /// As [`slice::partition_point`].
    fn partition_point(&self, mut pred: impl FnMut(&T) -> bool) -> usize {
        partition_point(self.len, |i| self.get(i).is_some_and(&mut pred))
    }
}

impl<T> core::ops::Index<usize> for Segmented<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.segments[i >> SHIFT][i & (SEGMENT - 1)]
    }
}

/// A run's events, in order: what happened, event by event, and each
/// action's time, lane and first event, all in segments (an action's
/// arrays would otherwise double, and copy, as the run grows: 3,000,000
/// actions in a million-message run).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    whats: Segmented<What>,
    /// The index of each action's first event (its events run to the next
    /// action's first, or to the end).
    starts: Segmented<u32>,
    /// Each action's time.
    times: Segmented<SimTime>,
    /// Each action's lane.
    lanes: Segmented<u16>,
}

impl Trace {
    /// No events.
    pub fn new() -> Trace {
        Trace::default()
    }

    /// How many events there are.
    pub fn len(&self) -> usize {
        self.whats.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.whats.len == 0
    }

    /// How many actions there are.
    pub fn actions(&self) -> usize {
        self.starts.len
    }

    /// How many actions happened at or before `t`.
    pub fn actions_until(&self, t: SimTime) -> usize {
        self.times.partition_point(|at| *at <= t)
    }

    /// Appends the next action: its time and its events, which all carry
    /// the action's number (the number of actions before it), that time,
    /// and one lane.
    ///
    /// # Panics
    /// Past 2³² events. In debug builds (the tests, the swarm, the fuzzer)
    /// also when an event says otherwise: it would be read back as
    /// something it was not. The simulation makes every event of an
    /// action at its time and in its lane, so a release build does not
    /// check each event again.
    pub fn push_action(&mut self, at: SimTime, events: impl IntoIterator<Item = TraceEvent>) {
        let action = self.starts.len;
        let start = u32::try_from(self.whats.len).expect("at most 2^32 events");
        self.starts.push(start);
        self.times.push(at);
        self.lanes.push(0);
        for (i, event) in events.into_iter().enumerate() {
            debug_assert!(
                event.action as usize == action && event.at == at,
                "event of action {} at {:?} in action {action} at {at:?}",
                event.action,
                event.at
            );
            match self.lanes.last_mut() {
                Some(lane) if i == 0 => *lane = event.lane,
                Some(lane) => {
                    debug_assert_eq!(*lane, event.lane, "an action's events share a lane");
                }
                None => {}
            }
            self.whats.push(event.what);
        }
    }

    /// Keeps the first `actions` actions and their events.
    pub fn truncate_actions(&mut self, actions: usize) {
        let Some(&end) = self.starts.get(actions) else {
            return;
        };
        self.starts.truncate(actions);
        self.times.truncate(actions);
        self.lanes.truncate(actions);
        self.whats.truncate(end as usize);
    }

    /// Every event.
    pub fn all(&self) -> Events<'_> {
        Events {
            source: Source::Trace(self),
            start: 0,
            end: self.whats.len,
        }
    }

    /// The events of the actions in `actions` (those past the last action
    /// are none), found from where each action's events start.
    pub fn of_actions(&self, actions: Range<usize>) -> Events<'_> {
        let first = |a: usize| self.starts.get(a).map_or(self.len(), |&s| s as usize);
        let (start, end) = (first(actions.start), first(actions.end));
        self.all().slice(start..end.max(start))
    }

    /// The action event `i` belongs to: the last one starting at or before
    /// it (actions without events start where the next one does).
    fn action_of(&self, i: usize) -> usize {
        self.starts
            .partition_point(|&s| s as usize <= i)
            .saturating_sub(1)
    }

    /// Event `i`, which is in `action`.
    fn event(&self, i: usize, action: usize) -> EventRef<'_> {
        EventRef {
            at: self.times[action],
            action: action as u32,
            lane: self.lanes[action],
            what: &self.whats[i],
        }
    }
}

/// The first of `0..len` at which `holds` is false, it being true before
/// and false after (the binary search of [`slice::partition_point`]).
fn partition_point(len: usize, mut holds: impl FnMut(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, len);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if holds(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// One event as a reader sees it: the fields of a [`TraceEvent`], what
/// happened borrowed from the trace. It serializes exactly as the
/// [`TraceEvent`] it stands for (to JSON, and to postcard for the
/// fingerprint).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EventRef<'a> {
    /// Simulated time.
    pub at: SimTime,
    /// Which action caused it, from 0.
    pub action: u32,
    /// Which lane of the run it happened in (0 when there is one).
    pub lane: u16,
    /// What happened.
    pub what: &'a What,
}

impl EventRef<'_> {
    /// The event, copied.
    pub fn to_owned(self) -> TraceEvent {
        TraceEvent {
            at: self.at,
            action: self.action,
            lane: self.lane,
            what: self.what.clone(),
        }
    }
}

impl<'a> From<&'a TraceEvent> for EventRef<'a> {
    fn from(e: &'a TraceEvent) -> Self {
        EventRef {
            at: e.at,
            action: e.action,
            lane: e.lane,
            what: &e.what,
        }
    }
}

impl PartialEq<TraceEvent> for EventRef<'_> {
    fn eq(&self, other: &TraceEvent) -> bool {
        *self == EventRef::from(other)
    }
}

/// Where the events of an [`Events`] are.
#[derive(Clone, Copy)]
enum Source<'a> {
    Trace(&'a Trace),
    Vec(&'a [TraceEvent]),
}

/// Consecutive events of a trace (or of a plain vector of events): what a
/// view, a check or an export reads. Copying it copies two numbers and a
/// pointer. The default is no events.
#[derive(Clone, Copy)]
pub struct Events<'a> {
    source: Source<'a>,
    start: usize,
    end: usize,
}

impl Default for Events<'_> {
    fn default() -> Self {
        Events {
            source: Source::Vec(&[]),
            start: 0,
            end: 0,
        }
    }
}

impl<'a> Events<'a> {
    /// The events of one vector.
    pub fn of(events: &'a [TraceEvent]) -> Events<'a> {
        Events {
            source: Source::Vec(events),
            start: 0,
            end: events.len(),
        }
    }

    /// How many events there are.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The `i`th event of these.
    pub fn get(&self, i: usize) -> Option<EventRef<'a>> {
        let at = self.start.checked_add(i).filter(|at| *at < self.end)?;
        Some(match self.source {
            Source::Trace(t) => t.event(at, t.action_of(at)),
            Source::Vec(v) => EventRef::from(&v[at]),
        })
    }

    /// The first event.
    pub fn first(&self) -> Option<EventRef<'a>> {
        self.get(0)
    }

    /// The last event.
    pub fn last(&self) -> Option<EventRef<'a>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The events in `range` (indices relative to these), as `&v[range]`
    /// would give them; a range past the end is cut at the end.
    pub fn slice(&self, range: impl RangeBounds<usize>) -> Events<'a> {
        let from = match range.start_bound() {
            Bound::Included(&i) => i,
            Bound::Excluded(&i) => i + 1,
            Bound::Unbounded => 0,
        };
        let to = match range.end_bound() {
            Bound::Included(&i) => i + 1,
            Bound::Excluded(&i) => i,
            Bound::Unbounded => self.len(),
        };
        let end = self.start + to.min(self.len());
        Events {
            start: (self.start + from).min(end),
            end,
            ..*self
        }
    }

    /// The events, in order.
    pub fn iter(&self) -> Iter<'a> {
        let (front_action, back_action) = match self.source {
            Source::Trace(t) if !self.is_empty() => {
                (t.action_of(self.start), t.action_of(self.end - 1))
            }
            _ => (0, 0),
        };
        Iter {
            events: *self,
            front: self.start,
            back: self.end,
            front_action,
            back_action,
        }
    }

    /// The index of the first event for which `pred` is false, the events
    /// being those for which it is true, then the others (as
    /// [`slice::partition_point`]).
    pub fn partition_point(&self, mut pred: impl FnMut(EventRef<'a>) -> bool) -> usize {
        partition_point(self.len(), |i| self.get(i).is_some_and(&mut pred))
    }

    /// The events, copied.
    pub fn to_vec(&self) -> Vec<TraceEvent> {
        self.iter().map(EventRef::to_owned).collect()
    }
}

/// The iterator of [`Events::iter`]: both ways, and of a known length. It
/// walks the trace's actions along with its events, rather than looking
/// each event's action up.
#[derive(Clone)]
pub struct Iter<'a> {
    events: Events<'a>,
    /// The next event from the front, and its action (in a trace).
    front: usize,
    front_action: usize,
    /// One past the next event from the back, and that event's action.
    back: usize,
    back_action: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = EventRef<'a>;

    fn next(&mut self) -> Option<EventRef<'a>> {
        if self.front == self.back {
            return None;
        }
        let i = self.front;
        self.front += 1;
        Some(match self.events.source {
            Source::Trace(t) => {
                while t
                    .starts
                    .get(self.front_action + 1)
                    .is_some_and(|&s| s as usize <= i)
                {
                    self.front_action += 1;
                }
                t.event(i, self.front_action)
            }
            Source::Vec(v) => EventRef::from(&v[i]),
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        let i = self.back;
        Some(match self.events.source {
            Source::Trace(t) => {
                while self.back_action > 0 && t.starts[self.back_action] as usize > i {
                    self.back_action -= 1;
                }
                t.event(i, self.back_action)
            }
            Source::Vec(v) => EventRef::from(&v[i]),
        })
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for Events<'a> {
    type Item = EventRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl fmt::Debug for Events<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Events<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redis::Event;
    use crate::time::SimDuration;

    /// The events of `actions` actions, action `a` having `a % 4` events
    /// (so some have none) at `a` ms, in lane `a % 3`.
    fn actions(actions: u32) -> Vec<(SimTime, Vec<TraceEvent>)> {
        (0..actions)
            .map(|a| {
                let at = SimTime::START + SimDuration::from_ms(u64::from(a));
                let events = (0..a % 4)
                    .map(|k| TraceEvent {
                        at,
                        action: a,
                        lane: (a % 3) as u16,
                        what: What::Redis(Event::ExpirySet {
                            key: b"k".into(),
                            at: Some(u64::from(k)),
                        }),
                    })
                    .collect();
                (at, events)
            })
            .collect()
    }

    fn trace_of(actions: &[(SimTime, Vec<TraceEvent>)]) -> Trace {
        let mut trace = Trace::new();
        for (at, events) in actions {
            trace.push_action(*at, events.iter().cloned());
        }
        trace
    }

    #[test]
    fn a_trace_reads_as_the_vector_of_its_events_across_segments() {
        let acts = actions(3 * SEGMENT as u32 / 2 + 7);
        let plain: Vec<TraceEvent> = acts.iter().flat_map(|(_, e)| e.iter().cloned()).collect();
        let n = plain.len();
        assert!(n > 2 * SEGMENT);
        let mut trace = trace_of(&acts);
        assert_eq!(trace.len(), n);
        assert_eq!(trace.actions(), acts.len());
        assert_eq!(trace.all(), Events::of(&plain));
        assert!(trace.all().iter().rev().eq(Events::of(&plain).iter().rev()));
        for i in [0, 1, SEGMENT - 1, SEGMENT, n - 1] {
            assert_eq!(trace.all().get(i), plain.get(i).map(EventRef::from));
        }
        let cut = trace.all().slice(SEGMENT - 2..SEGMENT + 3);
        assert_eq!(cut.to_vec(), plain[SEGMENT - 2..SEGMENT + 3]);
        assert_eq!(
            cut.iter().next_back(),
            plain.get(SEGMENT + 2).map(EventRef::from)
        );
        let mut both = cut.iter();
        assert_eq!(both.next(), plain.get(SEGMENT - 2).map(EventRef::from));
        assert_eq!(both.next_back(), plain.get(SEGMENT + 2).map(EventRef::from));
        assert_eq!(both.len(), 3);
        assert_eq!(cut.last(), plain.get(SEGMENT + 2).map(EventRef::from));
        assert_eq!(trace.all().slice(n + 10..), trace.all().slice(n..));
        assert!(trace.all().get(n).is_none());
        let p = trace.all().partition_point(|e| e.action < 5000);
        assert_eq!(p, plain.partition_point(|e| e.action < 5000));
        assert_eq!(trace.of_actions(0..5000), trace.all().slice(..p));
        let between: Vec<TraceEvent> = plain
            .iter()
            .filter(|e| (4990..5010).contains(&e.action))
            .cloned()
            .collect();
        assert_eq!(trace.of_actions(4990..5010), Events::of(&between));
        assert!(trace.of_actions(acts.len() + 5..acts.len() + 9).is_empty());
        let (late, early) = (9, 3);
        assert!(trace.of_actions(late..early).is_empty());
        trace.truncate_actions(5000);
        assert_eq!(trace.all(), Events::of(&plain).slice(..p));
        assert_eq!(trace, trace_of(&acts[..5000]));
        trace.truncate_actions(0);
        assert!(trace.all().is_empty());
        assert_eq!(trace.actions(), 0);
    }

    #[test]
    fn an_event_serializes_as_the_trace_event_it_stands_for() {
        let acts = actions(8);
        let trace = trace_of(&acts);
        for (seen, made) in trace.all().iter().zip(acts.iter().flat_map(|(_, e)| e)) {
            assert_eq!(
                serde_json::to_string(&seen).unwrap(),
                serde_json::to_string(made).unwrap()
            );
            let mut a = [0u8; 256];
            let mut b = [0u8; 256];
            assert_eq!(
                postcard::to_slice(&seen, &mut a).unwrap(),
                postcard::to_slice(made, &mut b).unwrap()
            );
        }
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "in action 1")]
    fn an_event_of_another_action_is_refused() {
        let acts = actions(3);
        let mut trace = Trace::new();
        trace.push_action(acts[0].0, []);
        trace.push_action(acts[1].0, acts[2].1.iter().cloned());
    }
}
