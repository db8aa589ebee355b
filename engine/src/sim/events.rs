//! The events of a run, kept in segments of a fixed size, and [`Events`],
//! a view of consecutive events that every reader of a trace takes.
//!
//! A run of a million messages makes eight million events, 576 MB. Kept in
//! one vector, the trace was copied into a block twice its size each time
//! it grew, while the old block still held its place; in the browser, whose
//! memory never shrinks and whose allocator cannot remap pages as glibc
//! does, the last doubling alone (302 MB moved into 604 MB) set the run's
//! peak. Segments never move: the trace grows a segment at a time.

use alloc::vec::Vec;
use core::fmt;
use core::ops::{Bound, Index, RangeBounds};

use super::trace::TraceEvent;

/// log2 of the events a segment holds: 65,536 events, 4.5 MB.
const SHIFT: u32 = 16;
/// The events a segment holds.
const SEGMENT: usize = 1 << SHIFT;

/// A run's events, in order, in segments of 65,536 events (the last
/// one filling).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    segments: Vec<Vec<TraceEvent>>,
    len: usize,
}

impl Trace {
    /// No events.
    pub fn new() -> Trace {
        Trace::default()
    }

    /// How many events there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one event.
    pub fn push(&mut self, event: TraceEvent) {
        match self.segments.last_mut() {
            Some(last) if last.len() < SEGMENT => last.push(event),
            _ => {
                let mut segment = Vec::with_capacity(SEGMENT);
                segment.push(event);
                self.segments.push(segment);
            }
        }
        self.len += 1;
    }

    /// Keeps the first `len` events.
    pub fn truncate(&mut self, len: usize) {
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

    /// Every event.
    pub fn all(&self) -> Events<'_> {
        Events {
            segments: &self.segments,
            shift: SHIFT,
            mask: SEGMENT - 1,
            start: 0,
            end: self.len,
        }
    }
}

impl Extend<TraceEvent> for Trace {
    fn extend<I: IntoIterator<Item = TraceEvent>>(&mut self, events: I) {
        for event in events {
            self.push(event);
        }
    }
}

/// Consecutive events of a trace (or of a plain vector of events): what a
/// view, a check or an export reads. Copying it copies three numbers and a
/// pointer. The default is no events.
#[derive(Clone, Copy, Default)]
pub struct Events<'a> {
    segments: &'a [Vec<TraceEvent>],
    /// Event `i` is `segments[i >> shift][i & mask]` (a shift of
    /// `usize::BITS`: all in the first).
    shift: u32,
    mask: usize,
    start: usize,
    end: usize,
}

impl<'a> Events<'a> {
    /// The events of one vector.
    pub fn of(events: &'a Vec<TraceEvent>) -> Events<'a> {
        Events {
            segments: core::slice::from_ref(events),
            shift: usize::BITS,
            mask: usize::MAX,
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
    pub fn get(&self, i: usize) -> Option<&'a TraceEvent> {
        let at = self.start.checked_add(i).filter(|at| *at < self.end)?;
        let segment = at.checked_shr(self.shift).unwrap_or(0);
        self.segments.get(segment)?.get(at & self.mask)
    }

    /// The first event.
    pub fn first(&self) -> Option<&'a TraceEvent> {
        self.get(0)
    }

    /// The last event.
    pub fn last(&self) -> Option<&'a TraceEvent> {
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
        Iter {
            events: *self,
            front: 0,
            back: self.len(),
        }
    }

    /// The index of the first event for which `pred` is false, the events
    /// being those for which it is true, then the others (as
    /// [`slice::partition_point`]).
    pub fn partition_point(&self, mut pred: impl FnMut(&TraceEvent) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(&self[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The events, copied.
    pub fn to_vec(&self) -> Vec<TraceEvent> {
        self.iter().cloned().collect()
    }
}

/// The iterator of [`Events::iter`]: both ways, and of a known length.
#[derive(Clone)]
pub struct Iter<'a> {
    events: Events<'a>,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a TraceEvent;

    fn next(&mut self) -> Option<&'a TraceEvent> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        self.events.get(self.front - 1)
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
        self.events.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> Index<usize> for Events<'a> {
    type Output = TraceEvent;

    fn index(&self, i: usize) -> &TraceEvent {
        match self.get(i) {
            Some(event) => event,
            None => panic!("event {i} of {}", self.len()),
        }
    }
}

impl<'a> IntoIterator for Events<'a> {
    type Item = &'a TraceEvent;
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
    use crate::sim::trace::What;
    use crate::time::SimTime;

    fn event(action: u32) -> TraceEvent {
        TraceEvent {
            at: SimTime::START,
            action,
            lane: 0,
            what: What::Redis(Event::Flushed),
        }
    }

    #[test]
    fn a_trace_reads_as_the_vector_it_replaces_across_segments() {
        let n = 2 * SEGMENT + 5;
        let plain: Vec<TraceEvent> = (0..n as u32).map(event).collect();
        let mut trace = Trace::new();
        trace.extend(plain.iter().cloned());
        assert_eq!(trace.len(), n);
        assert_eq!(trace.all(), Events::of(&plain));
        let cut = trace.all().slice(SEGMENT - 2..SEGMENT + 3);
        assert_eq!(cut.to_vec(), plain[SEGMENT - 2..SEGMENT + 3]);
        assert_eq!(cut.iter().next_back(), plain.get(SEGMENT + 2));
        assert_eq!(cut.iter().len(), 5);
        assert_eq!(cut.last(), plain.get(SEGMENT + 2));
        assert_eq!(trace.all().slice(n + 10..), trace.all().slice(n..));
        assert!(trace.all().get(n).is_none());
        let p = trace
            .all()
            .partition_point(|e| e.action < SEGMENT as u32 + 1);
        assert_eq!(p, plain.partition_point(|e| e.action < SEGMENT as u32 + 1));
        trace.truncate(SEGMENT);
        assert_eq!(trace.all(), Events::of(&plain).slice(..SEGMENT));
        trace.push(event(9));
        assert_eq!(trace.all().last().map(|e| e.action), Some(9));
        trace.truncate(0);
        assert!(trace.all().is_empty());
    }
}
