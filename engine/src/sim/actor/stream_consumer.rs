//! A consumer of a stream's consumer group, as seed 002 and 004 describe
//! it: on every (new) connection it first re-reads its own pending entries
//! (`XREADGROUP … 0`), then reads new ones with `>` and BLOCK; it
//! acknowledges as its policy says; when its claim timer fires it runs
//! XAUTOCLAIM at its next idle moment (a blocked read is not interrupted,
//! as with a real connection); an entry claimed too often is copied to the
//! dead-letter stream and acknowledged. An at-most-once consumer gives no
//! second chance: it neither re-reads its pending entries nor claims.
//!
//! Exactly-once is at-least-once delivery plus an effect that happens once:
//! before processing, `WATCH done:…` and `EXISTS done:…` — a message already
//! done is skipped and acknowledged; after processing, `MULTI`,
//! `SET done:… 1 NX`, the effect (`INCR effects:…`), `XACK`, `EXEC`. If
//! another consumer finished the same message meanwhile, the watched key
//! changed, EXEC runs nothing, and the check is made again.
//!
//! If the group is missing (the broker lost it, someone destroyed it), the
//! consumer creates it, as applications do at start-up
//! (`XGROUP CREATE … MKSTREAM`, ignoring BUSYGROUP).

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::step::{
    GroupRequest as Request, Parts, Prepared, Request as WorkerRequest, Tx, back_off, processed,
    wait,
};
use super::{Cx, Gate, Item, Timer};
use crate::redis::client::{self, Command, ReadFrom, ReadGroup};
use crate::redis::db::stream_id::StreamId;
use crate::redis::event::Bytes;
use crate::redis::reply::Reply;
use crate::scenario::{AckPolicy, ClaimSpec, DeadLetterSpec, GroupSource, Guarantee, Policy};
use crate::sim::agenda::TimerId;
use crate::sim::trace::{DeadLetter, SimEvent};

/// A consumer of a group.
#[derive(Clone, Debug)]
pub struct StreamConsumer {
    stream: Bytes,
    group: Bytes,
    start: Bytes,
    policy: Policy,
    claim: Option<ClaimSpec>,
    dead_letter: Option<DeadLetterSpec>,
    /// Its claim timer, and whether a claim is due.
    claim_timer: Option<TimerId>,
    claim_due: bool,
    claim_cursor: StreamId,
    /// While re-reading its own pending entries after (re)connecting: the
    /// ID to read after.
    history: Option<StreamId>,
    /// Processed entries to XACK together (after-batch).
    ack_later: Vec<StreamId>,
    /// Where the exactly-once keys live: `done:<group>:` and
    /// `effects:<group>` (with the stream's hash tag in a cluster, so that
    /// one transaction touches one slot).
    key_prefix: String,
    /// Whether its connection holds a WATCH on the `done:` key of the
    /// message it processes. A watch lives on one connection: after a
    /// reconnect the check must be made again before committing, or EXEC
    /// would run unguarded and apply the effect a second time.
    watching: bool,
    /// Whether it has read from its group: a NOGROUP after that means the
    /// broker lost the group (a crash without persistence), not that the
    /// group was never made.
    group_seen: bool,
}

impl StreamConsumer {
    /// A consumer of `source`'s group with `policy`; `cluster` says
    /// whether its keys need the stream's hash tag.
    pub fn new(
        source: &GroupSource,
        policy: Policy,
        claim: Option<ClaimSpec>,
        dead_letter: Option<DeadLetterSpec>,
        cluster: bool,
    ) -> Self {
        let key_prefix = if cluster {
            format!("{{{}}}:{}", source.stream, source.group)
        } else {
            source.group.clone()
        };
        StreamConsumer {
            stream: source.stream.clone().into_bytes(),
            group: source.group.clone().into_bytes(),
            start: source.start.clone().into_bytes(),
            policy,
            claim,
            dead_letter,
            claim_timer: None,
            claim_due: false,
            claim_cursor: StreamId::ZERO,
            history: None,
            ack_later: Vec::new(),
            key_prefix,
            watching: false,
            group_seen: false,
        }
    }

    /// The stream it reads.
    pub fn stream(&self) -> &[u8] {
        &self.stream
    }

    /// The group it belongs to.
    pub fn group(&self) -> &[u8] {
        &self.group
    }

    /// Its policy.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The key that records `msg` as done (exactly-once).
    pub fn done_key(&self, msg_text: &str) -> Bytes {
        format!("done:{}:{msg_text}", self.key_prefix).into_bytes()
    }

    fn effects_key(&self) -> Bytes {
        format!("effects:{}", self.key_prefix).into_bytes()
    }

    /// Whether it gives messages a second chance: at-most-once never
    /// does, so it neither re-reads its pending entries nor claims.
    fn retries(&self) -> bool {
        self.policy.guarantee != Guarantee::AtMostOnce
    }

    /// A new connection: re-read its own pending entries first, and
    /// (re)arm the claim timer.
    pub fn connected(&mut self, cx: &mut Cx<'_>, _: &Parts<'_>) {
        self.history = self.retries().then_some(StreamId::ZERO);
        self.ack_later.clear();
        self.watching = false;
        self.claim_due = false;
        self.cancel_claims(cx);
        if let Some(c) = self.claim.filter(|_| self.retries()) {
            self.claim_timer = Some(cx.timer(c.every_ms, Timer::Claim));
        }
    }

    /// Its process stops: no more claims.
    pub fn cancel_claims(&mut self, cx: &mut Cx<'_>) {
        if let Some(t) = self.claim_timer.take() {
            cx.cancel(t);
        }
    }

    /// The claim timer fired: claim at the next idle moment.
    pub fn claim_timer_fired(&mut self, id: TimerId) {
        if self.claim_timer == Some(id) {
            self.claim_timer = None;
            self.claim_due = true;
        }
    }

    fn read<'a>(&'a self, p: &'a Parts<'_>, from: ReadFrom, block: bool) -> Command {
        client::xreadgroup(&ReadGroup {
            key: &self.stream,
            group: &self.group,
            consumer: p.name,
            count: p.spec.count,
            block_ms: block.then_some(p.spec.block_ms),
            noack: self.policy.ack == AckPolicy::Noack,
            from,
        })
    }

    /// What to ask for when it holds nothing: pending acks, a due claim,
    /// its own pending entries, or new ones.
    pub fn fetch(&mut self, p: &mut Parts<'_>) -> Option<(Command, WorkerRequest)> {
        let (command, request) = if !self.ack_later.is_empty() {
            // Cleared, not taken: the next batch reuses the room.
            let command = client::xack(&self.stream, &self.group, &self.ack_later);
            self.ack_later.clear();
            (command, Request::Ack)
        } else if self.claim_due && self.claim.is_some() {
            self.claim_due = false;
            let c = self.claim?;
            let command = client::xautoclaim(
                &self.stream,
                &self.group,
                p.name,
                c.min_idle_ms,
                self.claim_cursor,
                c.count,
            );
            (command, Request::Claim)
        } else if let Some(after) = self.history {
            (
                self.read(p, ReadFrom::PendingAfter(after), false),
                Request::ReadPending,
            )
        } else {
            (self.read(p, ReadFrom::New, true), Request::ReadNew)
        };
        Some((command, WorkerRequest::Stream(request)))
    }

    /// Before processing an item, the checks its gate asks for: a claimed
    /// entry's deliveries (if the service dead-letters), then the dedup key
    /// (exactly-once).
    pub fn prepare(&self, p: &Parts<'_>, item: Item) -> Prepared {
        let Some(id) = item.id else {
            return Prepared::Drop;
        };
        if item.msg.is_none() {
            // Not a message of the workload (an entry added at the
            // console): acknowledge it and move on.
            return Prepared::Ask(
                client::xack(&self.stream, &self.group, &[id]),
                WorkerRequest::Stream(Request::Ack),
            );
        }
        match item.gate {
            Gate::Deliveries if self.dead_letter.is_some() => {
                let command = client::xpending_entry(&self.stream, &self.group, id);
                Prepared::Ask(command, WorkerRequest::Stream(Request::Deliveries(item)))
            }
            Gate::Deliveries | Gate::Dedup if self.policy.dedup() => self.watch(p, item),
            Gate::Deliveries | Gate::Dedup if self.policy.checks_without_transaction() => {
                let Some(msg) = item.msg else {
                    return Prepared::Drop;
                };
                let command = client::exists(&self.done_key(&p.catalog.text(msg)));
                Prepared::Ask(command, WorkerRequest::Stream(Request::Tx(item, Tx::Peek)))
            }
            _ => Prepared::Process(item),
        }
    }

    /// Exactly-once: watch the message's `done:` key before checking it.
    fn watch(&self, p: &Parts<'_>, item: Item) -> Prepared {
        match self.watch_done(p, &item) {
            Some(command) => {
                Prepared::Ask(command, WorkerRequest::Stream(Request::Tx(item, Tx::Watch)))
            }
            None => Prepared::Drop,
        }
    }

    /// `WATCH done:<msg>` for `item`'s message.
    fn watch_done(&self, p: &Parts<'_>, item: &Item) -> Option<Command> {
        let msg = item.msg?;
        Some(client::watch(&self.done_key(&p.catalog.text(msg))))
    }

    /// Processing succeeded: acknowledge as the policy says, or commit the
    /// effect with its dedup key.
    pub fn complete(&mut self, cx: &mut Cx<'_>, p: &mut Parts<'_>, item: Item) {
        if self.policy.dedup() && self.watching {
            return ask(cx, p, client::multi(), Request::Tx(item, Tx::Multi));
        }
        if self.policy.dedup() {
            if let Some(command) = self.watch_done(p, &item) {
                ask(cx, p, command, Request::Tx(item, Tx::Rewatch));
            }
            return;
        }
        processed(cx, p, &item, true);
        if self.policy.checks_without_transaction()
            && let Some(msg) = item.msg
        {
            // The effect happened; now record it, then acknowledge: two
            // more round trips in which a failure makes it happen again.
            let done = self.done_key(&p.catalog.text(msg));
            return ask(
                cx,
                p,
                client::set_nx(&done, b"1"),
                Request::Tx(item, Tx::Record),
            );
        }
        let Some(id) = item.id else { return };
        match self.policy.ack {
            AckPolicy::AfterEach => ask(
                cx,
                p,
                client::xack(&self.stream, &self.group, &[id]),
                Request::Ack,
            ),
            AckPolicy::AfterBatch => self.ack_later.push(id),
            AckPolicy::BeforeProcessing | AckPolicy::Noack | AckPolicy::Auto => {}
        }
    }

    /// The reply to `request`.
    pub fn on_reply(
        &mut self,
        cx: &mut Cx<'_>,
        p: &mut Parts<'_>,
        request: Request,
        reply: &Reply,
    ) {
        match request {
            Request::CreateGroup => match client::status(reply) {
                Ok(_) => {}
                Err(e) if e.code() == b"BUSYGROUP" => {}
                Err(_) => back_off(cx, p.run),
            },
            Request::ReadPending | Request::ReadNew => self.on_read(cx, p, request, reply),
            Request::Ack => {}
            Request::Claim => match client::auto_claimed(reply) {
                Ok(claimed) => {
                    self.claim_cursor = claimed.next;
                    if let Some(c) = self.claim {
                        self.claim_timer = Some(cx.timer(c.every_ms, Timer::Claim));
                    }
                    let items = claimed.entries.iter().map(|e| Item {
                        msg: e.field(b"msg").and_then(|m| p.catalog.parse(m)),
                        id: Some(e.id),
                        gate: Gate::Deliveries,
                    });
                    p.run.batch.extend(items);
                }
                Err(e) => self.on_error(cx, p, &e),
            },
            Request::Deliveries(item) => self.on_deliveries(cx, p, item, reply),
            Request::DeadLetter(item, deliveries) => match (client::added_id(reply), item.id) {
                (Ok(Some(new_id)), Some(id)) => ask(
                    cx,
                    p,
                    client::xack(&self.stream, &self.group, &[id]),
                    Request::DeadLetterAck(item, new_id, deliveries),
                ),
                _ => back_off(cx, p.run),
            },
            Request::DeadLetterAck(item, new_id, deliveries) => {
                if let (Some(msg), Some(id), Some(d)) = (item.msg, item.id, &self.dead_letter) {
                    cx.record(SimEvent::DeadLettered(Box::new(DeadLetter {
                        worker: p.name.clone(),
                        service: p.service,
                        msg,
                        from: self.stream.clone().into(),
                        id,
                        to: d.stream.as_str().into(),
                        new_id,
                        deliveries,
                    })));
                }
            }
            Request::Tx(item, step) => self.on_tx(cx, p, item, step, reply),
        }
    }

    fn on_read(&mut self, cx: &mut Cx<'_>, p: &mut Parts<'_>, request: Request, reply: &Reply) {
        let entries = match client::read_entries(reply) {
            Ok(entries) => entries,
            Err(e) => return self.on_error(cx, p, &e),
        };
        self.group_seen = true;
        if request == Request::ReadPending {
            self.history = entries.iter().map(|e| e.id).max();
        }
        p.run.batch.extend(entries.iter().map(|e| Item {
            msg: e.field(b"msg").and_then(|m| p.catalog.parse(m)),
            id: Some(e.id),
            gate: Gate::Dedup,
        }));
        if self.policy.ack == AckPolicy::BeforeProcessing && !entries.is_empty() {
            let ids: Vec<StreamId> = entries.iter().map(|e| e.id).collect();
            ask(
                cx,
                p,
                client::xack(&self.stream, &self.group, &ids),
                Request::Ack,
            );
        }
    }

    /// An error reply: a missing group is created again; anything else
    /// waits a moment. A group the broker lost is created again from the
    /// stream's start when the service gives messages a second chance:
    /// every entry in the stream is then one the group has not seen, and
    /// `$` would skip those written since the broker came back.
    fn on_error(&mut self, cx: &mut Cx<'_>, p: &mut Parts<'_>, e: &client::Error) {
        if e.code() == b"NOGROUP" {
            let start: &[u8] = if self.group_seen && self.retries() {
                b"0"
            } else {
                &self.start
            };
            ask(
                cx,
                p,
                client::xgroup_create(&self.stream, &self.group, start),
                Request::CreateGroup,
            );
        } else {
            back_off(cx, p.run);
        }
    }

    fn on_deliveries(&mut self, cx: &mut Cx<'_>, p: &mut Parts<'_>, item: Item, reply: &Reply) {
        let Ok(rows) = client::pending_rows(reply) else {
            return back_off(cx, p.run);
        };
        // No longer pending (acknowledged meanwhile): not this consumer's.
        let Some(row) = rows.first() else { return };
        if row.consumer != *p.name {
            return;
        }
        match (&self.dead_letter, item.msg) {
            (Some(d), Some(msg)) if row.deliveries > u64::from(d.after_deliveries) => {
                let text = p.catalog.text(msg);
                let origin = row.id.to_text();
                let count = format!("{}", row.deliveries);
                let fields: [(&[u8], &[u8]); 3] = [
                    (b"msg", text.as_bytes()),
                    (b"origin-id", origin.as_bytes()),
                    (b"deliveries", count.as_bytes()),
                ];
                let command = client::xadd(d.stream.as_bytes(), None, &fields);
                ask(cx, p, command, Request::DeadLetter(item, row.deliveries));
            }
            // Back at the front: processed next, after the dedup check if
            // the policy has one.
            _ => p.run.batch.push_front(item.at(Gate::Dedup)),
        }
    }

    fn on_tx(&mut self, cx: &mut Cx<'_>, p: &mut Parts<'_>, item: Item, step: Tx, reply: &Reply) {
        let (Some(msg), Some(id)) = (item.msg, item.id) else {
            return;
        };
        let done = self.done_key(&p.catalog.text(msg));
        let next = |step: Tx| Request::Tx(item.clone(), step);
        let ok = client::status(reply) == Ok(true);
        match step {
            Tx::Watch if ok => {
                self.watching = true;
                ask(cx, p, client::exists(&done), next(Tx::Check))
            }
            Tx::Rewatch if ok => {
                self.watching = true;
                ask(cx, p, client::exists(&done), next(Tx::Recheck))
            }
            // Processed already; nobody committed it meanwhile: commit.
            Tx::Recheck => match client::integer(reply) {
                Ok(0) => ask(cx, p, client::multi(), next(Tx::Multi)),
                Ok(_) => ask(cx, p, client::unwatch(), next(Tx::Skip)),
                Err(_) => back_off(cx, p.run),
            },
            Tx::Peek => match client::integer(reply) {
                Ok(0) => p.run.batch.push_front(item.at(Gate::Ready)),
                Ok(_) => {
                    processed(cx, p, &item, false);
                    ask(
                        cx,
                        p,
                        client::xack(&self.stream, &self.group, &[id]),
                        Request::Ack,
                    );
                }
                Err(_) => back_off(cx, p.run),
            },
            Tx::Record => ask(
                cx,
                p,
                client::xack(&self.stream, &self.group, &[id]),
                Request::Ack,
            ),
            Tx::Check => match client::integer(reply) {
                // Not done yet: process it next (the WATCH stays on).
                Ok(0) => p.run.batch.push_front(item.at(Gate::Ready)),
                Ok(_) => ask(cx, p, client::unwatch(), next(Tx::Skip)),
                Err(_) => back_off(cx, p.run),
            },
            Tx::Skip => {
                self.watching = false;
                processed(cx, p, &item, false);
                ask(
                    cx,
                    p,
                    client::xack(&self.stream, &self.group, &[id]),
                    Request::Ack,
                );
            }
            // Without MULTI the next commands would run at once: stop.
            Tx::Multi if ok => ask(cx, p, client::set_nx(&done, b"1"), next(Tx::QueueDone)),
            // A queued command's error makes EXEC refuse the whole
            // transaction (EXECABORT): carry on to EXEC either way.
            Tx::QueueDone => ask(
                cx,
                p,
                client::incr(&self.effects_key()),
                next(Tx::QueueEffect),
            ),
            Tx::QueueEffect => ask(
                cx,
                p,
                client::xack(&self.stream, &self.group, &[id]),
                next(Tx::QueueAck),
            ),
            Tx::QueueAck => ask(cx, p, client::exec(), next(Tx::Exec)),
            Tx::Watch | Tx::Rewatch | Tx::Multi => back_off(cx, p.run),
            Tx::Exec => {
                // EXEC ends every watch, whatever it answered.
                self.watching = false;
                match client::exec_replies(reply) {
                    Ok(Some(replies)) => {
                        let applied = replies
                            .first()
                            .is_some_and(|r| client::status(r) == Ok(true));
                        processed(cx, p, &item, applied);
                    }
                    // A watched key changed: someone else may have done it.
                    // The work is done; check again under a new watch.
                    Ok(None) => {
                        if let Some(command) = self.watch_done(p, &item) {
                            ask(cx, p, command, next(Tx::Rewatch));
                        }
                    }
                    Err(_) => back_off(cx, p.run),
                }
            }
        }
    }
}

/// Sends a consumer's command and waits for its reply.
fn ask(cx: &mut Cx<'_>, p: &mut Parts<'_>, command: Command, request: Request) {
    wait(cx, p.run, command, WorkerRequest::Stream(request));
}
