//! The events of a run, kept compactly, and [`Events`], a view of
//! consecutive events that every reader of a trace takes.
//!
//! A run of a million messages makes eight million events. Kept as they are
//! made ([`TraceEvent`]: time, action, lane and what happened, 72 bytes),
//! they were 576 MB. Two things make them smaller:
//!
//! - The events of one action share their time and lane (an action is one
//!   step of one lane, at one instant), and their action number is where
//!   they sit: each action's events follow a head that says how many they
//!   are, how many bytes they take, the action's time (from the action
//!   before's) and its lane, four bytes in practice. Only every 64th
//!   action's first event, place and time are kept aside (a `Block`), and
//!   the others are found by walking the heads from it. Kept aside for
//!   every action, they were 18 bytes an action: 54 MB of a
//!   million-message run's 3,000,000 actions.
//! - What happened is encoded, event by event, in a few bytes
//!   (`events/compact.rs`: names by number, times and IDs as small
//!   varints), not as a [`What`] as large as the largest event: about 9
//!   bytes an event instead of 48 (wasm) or 56 (native).
//!
//! Readers see each event as an [`EventRef`], with the same fields, what
//! happened decoded as it is read; it serializes exactly as the
//! [`TraceEvent`] it stands for, so fingerprints and exports do not depend
//! on how the trace keeps it.
//!
//! Nothing the trace keeps moves as it grows: the bytes are in chunks of a
//! megabyte, the side tables in segments. Kept in one vector, the
//! trace was copied into a block twice its size each time it grew, while
//! the old block still held its place; in the browser, whose memory never
//! shrinks and whose allocator cannot remap pages as glibc does, the last
//! doubling alone (302 MB moved into 604 MB) set the run's peak.

use alloc::borrow::Cow;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::fmt;
use core::ops::{Bound, Range, RangeBounds};

use serde::Serialize;

use super::trace::{TraceEvent, What};
use crate::redis::db::fields::Fields;
use crate::time::SimTime;

mod compact;

/// log2 of the elements a segment holds: 65,536.
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
            last => {
                // The first segment grows from nothing (a short run, or
                // one lane of several, takes what it needs); the others
                // are made whole.
                let mut segment = match last {
                    Some(_) => Vec::with_capacity(SEGMENT),
                    None => Vec::new(),
                };
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
}

impl<T> core::ops::Index<usize> for Segmented<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.segments[i >> SHIFT][i & (SEGMENT - 1)]
    }
}

/// The bytes a chunk holds: a megabyte (an action whose events take more
/// gets a chunk of their size). The tests use a kilobyte, so that every
/// trace they make spans many chunks, and some actions outgrow one.
const CHUNK: usize = if cfg!(test) { 1 << 10 } else { 1 << 20 };

/// The actions a block holds: the trace keeps where each block's first
/// action is, and finds the others by walking from it.
const BLOCK: usize = 64;

/// A run's events, in order: what happened, event by event, encoded in
/// chunks of a megabyte, each action's events after a head that says how
/// many they are, how many bytes they take, the action's time (from the
/// action before) and its lane; and, for every 64th action, its
/// first event, place and time. See the module's documentation.
#[derive(Clone, Default)]
pub struct Trace {
    /// The actions' heads and events; an action's are in one chunk, right
    /// after the action before it or at the start of the next chunk.
    chunks: Vec<Vec<u8>>,
    /// How many events there are.
    len: usize,
    /// How many actions there are.
    actions: usize,
    /// The first action of each block.
    blocks: Vec<Block>,
    /// The last action's time, which the next one's head counts from.
    last_at: SimTime,
    /// The names the events name, and the tables of what they keep whole.
    names: compact::Names,
    fields: Segmented<Rc<Fields>>,
    others: Segmented<What>,
    /// The action being encoded, and its head (one buffer each for every
    /// action).
    scratch: Vec<u8>,
    head: Vec<u8>,
}

/// Where a block's first action is.
#[derive(Clone, Copy, Debug)]
struct Block {
    /// Its first event.
    start: u32,
    /// The chunk (high 12 bits) and the offset in it (low 20) of its head.
    place: u32,
    /// Its time.
    at: SimTime,
}

/// One action, read from its head: where its events are, and what they
/// share.
#[derive(Clone, Copy, Debug)]
struct Act<'a> {
    /// Its number (the actions before it).
    index: usize,
    /// Its first event.
    start: usize,
    /// How many events it has.
    events: usize,
    at: SimTime,
    lane: u16,
    /// Its events' bytes.
    bytes: &'a [u8],
    /// The chunk it is in, and the offset just past its bytes.
    chunk: usize,
    end: usize,
    /// The offset of its head.
    head: usize,
}

impl Act<'_> {
    /// Whether event `i` is one of its own.
    fn has(&self, i: usize) -> bool {
        (self.start..self.start + self.events).contains(&i)
    }
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

    /// How many actions there are.
    pub fn actions(&self) -> usize {
        self.actions
    }

    /// How many actions happened at or before `t`: the blocks that start
    /// by then, and the actions of the last of them that do.
    pub fn actions_until(&self, t: SimTime) -> usize {
        let blocks = self.blocks.partition_point(|b| b.at <= t);
        let Some(block) = blocks.checked_sub(1) else {
            return 0;
        };
        let mut act = self.first_of(block);
        while let Some(next) = self.after(&act).filter(|a| a.at <= t) {
            act = next;
        }
        act.index + 1
    }

    /// Appends the next action: its time and its events, which all carry
    /// the action's number (the number of actions before it), that time,
    /// and one lane.
    ///
    /// # Panics
    /// Past 2³² events, or 4 GB of them encoded. In debug builds (the
    /// tests, the swarm, the fuzzer) also when an event says otherwise, or
    /// does not decode to what it was: it would be read back as something
    /// it was not. The simulation makes every event of an action at its
    /// time and in its lane, so a release build does not check each event
    /// again.
    pub fn push_action(&mut self, at: SimTime, events: impl IntoIterator<Item = TraceEvent>) {
        let action = self.actions;
        let start = u32::try_from(self.len).expect("at most 2^32 events");
        self.scratch.clear();
        let mut writer = compact::Writer {
            out: &mut self.scratch,
            names: &mut self.names,
            fields: &mut self.fields,
            others: &mut self.others,
        };
        let mut lane = None;
        let mut count = 0u64;
        #[cfg(debug_assertions)]
        let mut made = Vec::new();
        for event in events {
            debug_assert!(
                event.action as usize == action && event.at == at,
                "event of action {} at {:?} in action {action} at {at:?}",
                event.action,
                event.at
            );
            let first = *lane.get_or_insert(event.lane);
            debug_assert_eq!(first, event.lane, "an action's events share a lane");
            #[cfg(debug_assertions)]
            made.push(event.what.clone());
            writer.event(event.what);
            count += 1;
        }
        self.head.clear();
        compact::put_varint(&mut self.head, count);
        compact::put_varint(&mut self.head, self.scratch.len() as u64);
        // A block's first action has its time in the block.
        let since = match action % BLOCK {
            0 => 0,
            _ => compact::zigzag(at.0.wrapping_sub(self.last_at.0)),
        };
        compact::put_varint(&mut self.head, since);
        compact::put_varint(&mut self.head, u64::from(lane.unwrap_or(0)));
        let place = self.place_for(self.head.len() + self.scratch.len());
        if action.is_multiple_of(BLOCK) {
            self.blocks.push(Block { start, place, at });
        }
        let chunk = self.chunks.last_mut().expect("a place was made");
        chunk.extend_from_slice(&self.head);
        chunk.extend_from_slice(&self.scratch);
        self.len += count as usize;
        self.actions += 1;
        self.last_at = at;
        #[cfg(debug_assertions)]
        {
            let act = self.act(action);
            assert_eq!(
                (act.start, act.events, act.at, act.lane),
                (start as usize, made.len(), at, lane.unwrap_or(0)),
                "an action's head reads back as it was made"
            );
            let mut reader = self.reader_from(act.bytes);
            for what in made {
                assert_eq!(*reader.event(), what, "an event reads back as it was made");
            }
            assert!(reader.bytes.is_empty(), "an action's bytes are its events'");
        }
    }

    /// Where the next action's `bytes` go: the end of the last chunk if
    /// they fit, else a new chunk. (The first chunk grows from nothing, so
    /// that a short run, or one lane of several, takes what it needs.)
    fn place_for(&mut self, bytes: usize) -> u32 {
        match self.chunks.last() {
            // Strictly less: an offset of CHUNK would read as the next
            // chunk's start.
            Some(last) if last.len() + bytes < CHUNK => {}
            Some(_) => self.chunks.push(Vec::with_capacity(CHUNK.max(bytes))),
            None => self.chunks.push(Vec::new()),
        }
        let chunk = self.chunks.len() - 1;
        let offset = self.chunks[chunk].len();
        debug_assert!(offset < CHUNK, "an offset fits its bits");
        u32::try_from(chunk << CHUNK.trailing_zeros()).expect("at most 4 GB of events")
            | offset as u32
    }

    /// Action `index`, whose head is at `head` in `chunk`, its first event
    /// being `start`; `at` makes its time of the difference its head keeps.
    ///
    /// # Panics
    /// If there is no head there: the trace only reads where it wrote one.
    fn act_at(
        &self,
        index: usize,
        start: usize,
        chunk: usize,
        head: usize,
        at: impl FnOnce(u64) -> SimTime,
    ) -> Act<'_> {
        let mut bytes = &self.chunks[chunk][head..];
        let whole = bytes.len();
        let mut take = || compact::take_varint(&mut bytes).expect("an action's head");
        let (events, len, dt, lane) = (take(), take(), take(), take());
        let events_at = head + (whole - bytes.len());
        let end = events_at + len as usize;
        Act {
            index,
            start,
            events: events as usize,
            at: at(compact::unzigzag(dt)),
            lane: lane as u16,
            bytes: &self.chunks[chunk][events_at..end],
            chunk,
            end,
            head,
        }
    }

    /// The first action of block `block`.
    fn first_of(&self, block: usize) -> Act<'_> {
        let b = self.blocks[block];
        let shift = CHUNK.trailing_zeros();
        let (chunk, head) = (
            (b.place >> shift) as usize,
            (b.place & (CHUNK as u32 - 1)) as usize,
        );
        self.act_at(block * BLOCK, b.start as usize, chunk, head, |_| b.at)
    }

    /// The action after `act`, if there is one: right after it, or at the
    /// start of the next chunk when it ends its own.
    fn after<'a>(&'a self, act: &Act<'a>) -> Option<Act<'a>> {
        if act.index + 1 >= self.actions {
            return None;
        }
        let (chunk, head) = if act.end == self.chunks[act.chunk].len() {
            (act.chunk + 1, 0)
        } else {
            (act.chunk, act.end)
        };
        let (index, start) = (act.index + 1, act.start + act.events);
        Some(
            self.act_at(index, start, chunk, head, |since| match index % BLOCK {
                0 => self.blocks[index / BLOCK].at,
                _ => SimTime(act.at.0.wrapping_add(since)),
            }),
        )
    }

    /// Action `index` (there being one): a walk of at most a block.
    fn act(&self, index: usize) -> Act<'_> {
        let mut act = self.first_of(index / BLOCK);
        for _ in 0..index % BLOCK {
            act = self.after(&act).expect("the action is in the trace");
        }
        act
    }

    /// The block of event `i`'s action: the last whose first event is at
    /// or before it.
    fn block_of(&self, i: usize) -> usize {
        self.blocks
            .partition_point(|b| b.start as usize <= i)
            .saturating_sub(1)
    }

    /// The action event `i` (of this trace) belongs to: the last one
    /// starting at or before it (actions without events start where the
    /// next one does).
    fn act_of(&self, i: usize) -> Act<'_> {
        let mut act = self.first_of(self.block_of(i));
        while let Some(next) = self.after(&act).filter(|a| a.start <= i) {
            act = next;
        }
        act
    }

    /// Every action, in order.
    fn acts(&self) -> impl Iterator<Item = Act<'_>> {
        core::iter::successors((self.actions > 0).then(|| self.first_of(0)), |a| {
            self.after(a)
        })
    }

    /// A reader of the events in `bytes` (of this trace's chunks).
    fn reader_from<'a>(&'a self, bytes: &'a [u8]) -> compact::Reader<'a> {
        compact::Reader {
            bytes,
            names: &self.names.names,
            fields: &self.fields,
            others: &self.others,
            first_field: None,
            first_other: None,
        }
    }

    /// A reader of event `i`, which is in `act`, on.
    fn reader_of<'a>(&'a self, i: usize, act: &Act<'a>) -> compact::Reader<'a> {
        let mut reader = self.reader_from(act.bytes);
        for _ in act.start..i {
            reader.event();
        }
        reader
    }

    /// Keeps the first `actions` actions and their events.
    pub fn truncate_actions(&mut self, actions: usize) {
        if actions >= self.actions {
            return;
        }
        let cut = self.act(actions);
        let (start, chunk, head) = (cut.start, cut.chunk, cut.head);
        // The side tables keep what the kept events refer to: up to the
        // first entry a dropped event reads.
        let (mut first_field, mut first_other) = (None, None);
        let mut reader = self.reader_from(&[]);
        for act in core::iter::successors(Some(cut), |a| self.after(a)) {
            reader.bytes = act.bytes;
            for _ in 0..act.events {
                reader.event();
            }
            first_field = first_field.or(reader.first_field);
            first_other = first_other.or(reader.first_other);
        }
        if let Some(n) = first_field {
            self.fields.truncate(n);
        }
        if let Some(n) = first_other {
            self.others.truncate(n);
        }
        self.chunks.truncate(chunk + 1);
        self.chunks[chunk].truncate(head);
        if head == 0 {
            // An empty chunk would read as the one after the last action.
            self.chunks.pop();
        }
        self.blocks.truncate(actions.div_ceil(BLOCK));
        self.last_at = match actions.checked_sub(1) {
            Some(last) => self.act(last).at,
            None => SimTime::default(),
        };
        self.len = start;
        self.actions = actions;
    }

    /// Every event.
    pub fn all(&self) -> Events<'_> {
        Events {
            source: Source::Trace(self),
            start: 0,
            end: self.len,
        }
    }

    /// The events of the actions in `actions` (those past the last action
    /// are none), found from where each action's events start.
    pub fn of_actions(&self, actions: Range<usize>) -> Events<'_> {
        let first = |a: usize| {
            if a < self.actions {
                self.act(a).start
            } else {
                self.len
            }
        };
        let (start, end) = (first(actions.start), first(actions.end));
        self.all().slice(start..end.max(start))
    }

    /// Event `i`.
    fn event(&self, i: usize) -> EventRef<'_> {
        let act = self.act_of(i);
        self.event_in(&act, self.reader_of(i, &act).event())
    }

    /// An event of `act`, what happened being `what`.
    fn event_in<'a>(&self, act: &Act<'_>, what: Cow<'a, What>) -> EventRef<'a> {
        EventRef {
            at: act.at,
            action: act.index as u32,
            lane: act.lane,
            what,
        }
    }
}

/// Two traces are equal when their actions and events are.
impl PartialEq for Trace {
    fn eq(&self, other: &Self) -> bool {
        let head = |a: Act<'_>| (a.start, a.at, a.lane);
        self.actions == other.actions
            && self.acts().map(head).eq(other.acts().map(head))
            && self.all() == other.all()
    }
}

impl fmt::Debug for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Trace")
            .field("actions", &self.actions())
            .field("events", &self.len)
            .field("bytes", &self.chunks.iter().map(Vec::len).sum::<usize>())
            .finish()
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
/// happened decoded from the trace (or borrowed, where it is kept whole).
/// It serializes exactly as the [`TraceEvent`] it stands for (to JSON,
/// and to postcard for the fingerprint). Decoding clones the names it
/// holds (a count each), so a reader keeps only the events it needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRef<'a> {
    /// Simulated time.
    pub at: SimTime,
    /// Which action caused it, from 0.
    pub action: u32,
    /// Which lane of the run it happened in (0 when there is one).
    pub lane: u16,
    /// What happened: decoded from the trace, or borrowed (from a vector
    /// of events, or the trace's table of large events).
    pub what: Cow<'a, What>,
}

impl EventRef<'_> {
    /// The event, copied.
    pub fn to_owned(self) -> TraceEvent {
        TraceEvent {
            at: self.at,
            action: self.action,
            lane: self.lane,
            what: self.what.into_owned(),
        }
    }
}

impl<'a> From<&'a TraceEvent> for EventRef<'a> {
    fn from(e: &'a TraceEvent) -> Self {
        EventRef {
            at: e.at,
            action: e.action,
            lane: e.lane,
            what: Cow::Borrowed(&e.what),
        }
    }
}

impl PartialEq<TraceEvent> for EventRef<'_> {
    fn eq(&self, other: &TraceEvent) -> bool {
        self.at == other.at
            && self.action == other.action
            && self.lane == other.lane
            && *self.what == other.what
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
            Source::Trace(t) => t.event(at),
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
        Iter {
            events: *self,
            front: self.start,
            back: self.end,
            front_act: None,
            front_bytes: &[],
            back_acts: Vec::new(),
            back_bytes: Vec::new(),
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
    /// The next event from the front.
    front: usize,
    /// The action of the one before, once known, and the bytes after
    /// that one.
    front_act: Option<Act<'a>>,
    front_bytes: &'a [u8],
    /// One past the next event from the back.
    back: usize,
    /// The actions from the start of a block to that of the next event
    /// from the back, once known (the back one last): heads are read
    /// forwards, so a block's are read once, not once for each action.
    back_acts: Vec<Act<'a>>,
    /// Where each event of the back action up to the next from the back
    /// begins (that one last), once known: events too are read forwards.
    back_bytes: Vec<&'a [u8]>,
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
                let act = match &mut self.front_act {
                    Some(act) if act.has(i) => act,
                    slot => {
                        let act = match slot.take() {
                            Some(mut act) => {
                                while !act.has(i) {
                                    act = t.after(&act).expect("event i is in a later action");
                                }
                                self.front_bytes = act.bytes;
                                act
                            }
                            None => {
                                let act = t.act_of(i);
                                self.front_bytes = t.reader_of(i, &act).bytes;
                                act
                            }
                        };
                        slot.insert(act)
                    }
                };
                let mut reader = t.reader_from(self.front_bytes);
                let what = reader.event();
                self.front_bytes = reader.bytes;
                t.event_in(act, what)
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
                while self.back_acts.last().is_some_and(|a| a.start > i) {
                    self.back_acts.pop();
                    self.back_bytes.clear();
                }
                if self.back_acts.is_empty() {
                    let mut act = t.first_of(t.block_of(i));
                    self.back_acts.push(act);
                    while let Some(next) = t.after(&act).filter(|a| a.start <= i) {
                        act = next;
                        self.back_acts.push(act);
                    }
                    self.back_bytes.clear();
                }
                let act = *self.back_acts.last().expect("event i's action");
                if self.back_bytes.is_empty() {
                    let mut reader = t.reader_from(act.bytes);
                    for _ in act.start..=i {
                        self.back_bytes.push(reader.bytes);
                        reader.event();
                    }
                }
                let bytes = self
                    .back_bytes
                    .pop()
                    .expect("event i is in the back action");
                t.event_in(&act, t.reader_from(bytes).event())
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
    fn actions_are_found_by_time_and_by_number_across_blocks() {
        // Three actions an instant, instants a second apart (a time that
        // takes more than a byte from the action before).
        let acts: Vec<(SimTime, Vec<TraceEvent>)> = actions(5 * BLOCK as u32 + 3)
            .into_iter()
            .enumerate()
            .map(|(a, (_, events))| {
                let at = SimTime::START + SimDuration::from_ms(a as u64 / 3 * 1000);
                (
                    at,
                    events.into_iter().map(|e| TraceEvent { at, ..e }).collect(),
                )
            })
            .collect();
        let trace = trace_of(&acts);
        for (at, _) in &acts {
            for t in [SimTime(at.0 - 1), *at, SimTime(at.0 + 1)] {
                let until = acts.partition_point(|(a, _)| *a <= t);
                assert_eq!(trace.actions_until(t), until, "{t:?}");
            }
        }
        for a in 0..acts.len() + 2 {
            let own = acts.get(a).map_or(&[][..], |(_, e)| &e[..]);
            assert_eq!(trace.of_actions(a..a + 1), Events::of(own), "action {a}");
        }
        // Cut at a block's first action, its second, and its last, then
        // made whole again.
        for cut in [BLOCK, 2 * BLOCK + 1, 3 * BLOCK - 1, 0] {
            let mut cut_trace = trace.clone();
            cut_trace.truncate_actions(cut);
            assert_eq!(cut_trace, trace_of(&acts[..cut]), "cut at {cut}");
            for (at, events) in &acts[cut..] {
                cut_trace.push_action(*at, events.iter().cloned());
            }
            assert_eq!(cut_trace, trace, "cut at {cut}, then pushed");
        }
    }

    #[test]
    fn an_action_larger_than_a_chunk_reads_both_ways_and_cuts() {
        // Action 1 holds 600 events (more than a chunk's bytes), between
        // small ones.
        let mut acts = actions(3);
        let at = acts[1].0;
        acts[1].1 = (0..600u64)
            .map(|k| TraceEvent {
                at,
                action: 1,
                lane: 1,
                what: What::Redis(Event::ExpirySet {
                    key: b"big".into(),
                    at: Some(k << 40),
                }),
            })
            .collect();
        let plain: Vec<TraceEvent> = acts.iter().flat_map(|(_, e)| e.iter().cloned()).collect();
        let mut trace = trace_of(&acts);
        assert!(trace.chunks.len() >= 3, "{trace:?}");
        assert_eq!(trace.all(), Events::of(&plain));
        assert!(trace.all().iter().rev().eq(Events::of(&plain).iter().rev()));
        let middle = trace.all().slice(100..500);
        assert!(
            middle
                .iter()
                .rev()
                .eq(Events::of(&plain[100..500]).iter().rev())
        );
        assert_eq!(trace.all().get(599), plain.get(599).map(EventRef::from));
        trace.truncate_actions(2);
        assert_eq!(trace, trace_of(&acts[..2]));
        trace.truncate_actions(1);
        assert_eq!(trace, trace_of(&acts[..1]));
        trace.push_action(acts[1].0, acts[1].1.iter().cloned());
        assert_eq!(trace, trace_of(&acts[..2]));
    }

    #[test]
    fn an_action_after_a_full_chunk_starts_the_next() {
        // A head of 6 bytes and 254 events (two of 5 bytes, the others of
        // 4) fill a test chunk exactly; an action without events, then one
        // with an event, follow.
        let event = |action: u32, at: u64| TraceEvent {
            at: SimTime::START,
            action,
            lane: 0,
            what: What::Redis(Event::ExpirySet {
                key: b"k".into(),
                at: Some(at),
            }),
        };
        let full: Vec<TraceEvent> = (0..254)
            .map(|k| event(0, if k < 2 { 200 } else { k % 100 }))
            .collect();
        let mut trace = Trace::new();
        trace.push_action(SimTime::START, full.iter().cloned());
        assert_eq!(trace.chunks[0].len(), CHUNK);
        trace.push_action(SimTime::START, []);
        trace.push_action(SimTime::START, [event(2, 7)]);
        let mut plain = full.clone();
        plain.push(event(2, 7));
        assert_eq!(trace.all(), Events::of(&plain));
        trace.truncate_actions(1);
        assert_eq!(trace.all(), Events::of(&full));
        assert_eq!(trace.actions(), 1);
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
