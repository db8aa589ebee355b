//! A producer: it sends each message to each of its targets in turn, one
//! command at a time, and reads the broker's reply to know whether the
//! message was taken. A send that fails or goes unanswered is sent again
//! up to `retries` times; after a lost reply that writes the message twice.

use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Cx, Timer};
use crate::msg::MsgRef;
use crate::redis::client::{self, Command, PushVerb};
use crate::redis::event::{Bytes, Name};
use crate::redis::reply::Reply;
use crate::rng::Rng;
use crate::scenario::{ProducerSpec, Target};
use crate::sim::agenda::TimerId;
use crate::sim::trace::{MaybeEntryId, SimEvent};

/// How long a producer waits before sending a failed message again.
pub const RETRY_BACKOFF_MS: u64 = 100;

/// One send: a message to one target.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Send {
    msg: MsgRef,
    target: usize,
    /// Earlier tries of this send.
    retry: u32,
}

/// What the producer is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    /// Nothing outstanding.
    Idle,
    /// The command of `send` is out; `timeout` is armed if its reply was
    /// lost.
    Sending {
        send: Send,
        timeout: Option<TimerId>,
    },
    /// `send` failed; it goes again when `retry` fires.
    Backoff { send: Send, retry: TimerId },
}

/// A producer of the workload.
#[derive(Clone, Debug)]
pub struct Producer {
    /// Shared: the world, and so each producer, is copied into every
    /// snapshot, and a spec holds strings and a map of fields.
    spec: Rc<ProducerSpec>,
    /// Its name, and its targets' keys, as its events name them.
    name: Name,
    target_names: Vec<Name>,
    index: u16,
    rng: Rng,
    /// Production stops at this many ms since the start.
    until_ms: u64,
    /// Messages begun so far.
    sent: u32,
    state: State,
    /// Messages due while another send was out, oldest first.
    backlog: VecDeque<MsgRef>,
}

impl Producer {
    /// Producer `index` of the scenario, drawing from `rng`, producing
    /// before `until_ms`.
    pub fn new(index: u16, spec: ProducerSpec, rng: Rng, until_ms: u64) -> Self {
        Producer {
            name: spec.name.as_str().into(),
            target_names: spec.targets.iter().map(|t| target_key(t).into()).collect(),
            spec: Rc::new(spec),
            index,
            rng,
            until_ms,
            sent: 0,
            state: State::Idle,
            backlog: VecDeque::new(),
        }
    }

    /// Its name (and client name).
    pub fn name(&self) -> &[u8] {
        self.spec.name.as_bytes()
    }

    /// Its timeout for a reply.
    pub fn timeout_ms(&self) -> u64 {
        self.spec.timeout_ms
    }

    /// How many messages it has begun to send.
    pub fn sent(&self) -> u32 {
        self.sent
    }

    /// The target its current command writes to, if one is out (the world
    /// routes keyless commands by it).
    pub fn spec(&self) -> &ProducerSpec {
        &self.spec
    }

    /// Schedules the first message.
    pub fn start(&mut self, cx: &mut Cx<'_>) {
        let first = self
            .spec
            .at_ms
            .as_ref()
            .and_then(|v| v.first().copied())
            .unwrap_or(self.spec.start_ms);
        let since_start = cx.now.since_start().as_ms();
        if first < self.until_ms {
            cx.timer(first.saturating_sub(since_start), Timer::Produce);
        }
    }

    /// A reply to the current send.
    pub fn on_reply(&mut self, cx: &mut Cx<'_>, reply: &Reply) {
        let State::Sending { send, timeout } = core::mem::replace(&mut self.state, State::Idle)
        else {
            return;
        };
        if let Some(t) = timeout {
            cx.cancel(t);
        }
        let target = &self.spec.targets[send.target];
        let (accepted, id) = match target {
            Target::Stream(_) => match client::added_id(reply) {
                Ok(id) => (id.is_some(), id),
                Err(_) => (false, None),
            },
            _ => (client::integer(reply).is_ok(), None),
        };
        cx.record(SimEvent::Produced {
            producer: self.name.clone(),
            msg: send.msg,
            target: self.target_names[send.target].clone(),
            id: id.into(),
            accepted,
            retry: send.retry,
        });
        if accepted {
            self.next_target(cx, send);
        } else {
            self.failed(cx, send);
        }
    }

    /// A timer fired.
    pub fn on_timer(&mut self, cx: &mut Cx<'_>, id: TimerId, timer: Timer) {
        match timer {
            Timer::Produce => self.produce(cx),
            Timer::Retry => {
                if let State::Backoff { send, retry } = &self.state
                    && *retry == id
                {
                    let send = send.clone();
                    self.send(cx, send);
                }
            }
            Timer::ReplyTimeout => {
                if let State::Sending {
                    send,
                    timeout: Some(t),
                } = &self.state
                    && *t == id
                {
                    let send = send.clone();
                    cx.record(SimEvent::TimedOut {
                        client: self.name.clone(),
                        command: self.command(&send).to_line(),
                    });
                    cx.close();
                    self.failed(cx, send);
                }
            }
            _ => {}
        }
    }

    /// The command could not go out: no reply will come.
    pub fn on_send_failed(&mut self, cx: &mut Cx<'_>) {
        if let State::Sending { send, .. } = core::mem::replace(&mut self.state, State::Idle) {
            cx.record(SimEvent::Produced {
                producer: self.name.clone(),
                msg: send.msg,
                target: self.target_names[send.target].clone(),
                id: MaybeEntryId::NONE,
                accepted: false,
                retry: send.retry,
            });
            self.failed(cx, send);
        }
    }

    /// The reply to the current send was lost: arm the timeout.
    pub fn on_reply_lost(&mut self, cx: &mut Cx<'_>) {
        let after = self.spec.timeout_ms;
        if let State::Sending { timeout, .. } = &mut self.state {
            *timeout = Some(cx.timer(after, Timer::ReplyTimeout));
        }
    }

    /// The broker went down: the current send is as good as failed, and
    /// the producer notices when its timeout fires.
    pub fn on_link_lost(&mut self, cx: &mut Cx<'_>) {
        self.on_reply_lost(cx);
    }

    /// The next message is due: queue it, schedule the one after.
    fn produce(&mut self, cx: &mut Cx<'_>) {
        self.sent += 1;
        let seq = self.sent;
        self.backlog.push_back(MsgRef {
            producer: self.index,
            seq,
        });
        if let Some(delay) = self.next_delay(seq) {
            let at = cx.now.since_start().as_ms().saturating_add(delay);
            if at < self.until_ms {
                cx.timer(delay, Timer::Produce);
            }
        }
        if let Some(topics) = self.topics() {
            // Kafka's send() is asynchronous: the client library buffers
            // the record and retries it by its own config.
            for topic in topics {
                cx.produce(
                    &topic,
                    MsgRef {
                        producer: self.index,
                        seq,
                    },
                );
            }
            self.backlog.clear();
            return;
        }
        if self.state == State::Idle {
            self.pump(cx);
        }
    }

    /// The topics it writes to, when it is a Kafka producer.
    fn topics(&self) -> Option<Vec<String>> {
        let topics: Vec<String> = self
            .spec
            .targets
            .iter()
            .filter_map(|t| match t {
                Target::Topic(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        (!topics.is_empty()).then_some(topics)
    }

    /// Starts the oldest waiting message, if nothing is out.
    fn pump(&mut self, cx: &mut Cx<'_>) {
        if let Some(msg) = self.backlog.pop_front() {
            self.send(
                cx,
                Send {
                    msg,
                    target: 0,
                    retry: 0,
                },
            );
        }
    }

    fn send(&mut self, cx: &mut Cx<'_>, send: Send) {
        cx.send(self.command(&send));
        self.state = State::Sending {
            send,
            timeout: None,
        };
    }

    /// After a send succeeded or was given up: the message's next target,
    /// or the next message.
    fn next_target(&mut self, cx: &mut Cx<'_>, send: Send) {
        self.state = State::Idle;
        if send.target + 1 < self.spec.targets.len() {
            self.send(
                cx,
                Send {
                    msg: send.msg,
                    target: send.target + 1,
                    retry: 0,
                },
            );
        } else {
            self.pump(cx);
        }
    }

    /// A send failed: try again later, or give it up.
    fn failed(&mut self, cx: &mut Cx<'_>, send: Send) {
        if send.retry < self.spec.retries {
            let retry = cx.timer(RETRY_BACKOFF_MS, Timer::Retry);
            self.state = State::Backoff {
                send: Send {
                    retry: send.retry + 1,
                    ..send
                },
                retry,
            };
        } else {
            self.next_target(cx, send);
        }
    }

    /// The command that writes `send`'s message to its target. A stream
    /// entry carries the message ID in a `msg` field, then the producer's
    /// fields; a list value or a pub/sub payload is the message ID followed
    /// by `field=value` words.
    fn command(&self, send: &Send) -> Command {
        let message = client::Message {
            producer: &self.spec.name,
            seq: send.msg.seq,
            fields: &self.spec.fields,
        };
        let (verb, key) = match &self.spec.targets[send.target] {
            Target::Stream(key) => {
                return client::xadd_message(key.as_bytes(), self.spec.maxlen, &message);
            }
            // A topic is written by `Effect::Produce`, never by a command.
            Target::List(key) | Target::Topic(key) => (PushVerb::Rpush, key),
            Target::Channel(key) => (PushVerb::Publish, key),
            Target::ShardChannel(key) => (PushVerb::Spublish, key),
        };
        client::push_message(verb, key.as_bytes(), &message)
    }

    /// Milliseconds until the message after number `seq`, or `None` when
    /// the producer is done.
    fn next_delay(&mut self, seq: u32) -> Option<u64> {
        if self.spec.count.is_some_and(|c| seq >= c) {
            return None;
        }
        if let Some(every) = self.spec.every_ms {
            return Some(every);
        }
        if let Some(rate) = self.spec.rate_per_s {
            return Some(self.rng.exponential_ms(1000.0 / rate));
        }
        let times = self.spec.at_ms.as_ref()?;
        let (this, next) = (times.get(seq as usize - 1)?, times.get(seq as usize)?);
        Some(next.saturating_sub(*this))
    }
}

/// The key or channel a target names.
pub fn target_key(target: &Target) -> &str {
    match target {
        Target::Stream(k)
        | Target::List(k)
        | Target::Channel(k)
        | Target::ShardChannel(k)
        | Target::Topic(k) => k,
    }
}

/// The bytes of the key or channel a target names.
pub fn target_bytes(target: &Target) -> Bytes {
    target_key(target).as_bytes().to_vec()
}
