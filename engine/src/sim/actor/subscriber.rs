//! A pub/sub subscriber: it subscribes on every (new) connection, then
//! takes what is pushed to it. Nothing waits for it: what is published
//! while it is away is gone (seed 000's fire-and-forget).

use alloc::string::String;
use alloc::vec::Vec;

use super::step::Parts;
use super::{Cx, Gate, Item};
use crate::redis::client::{self, Push};
use crate::redis::event::SubscriptionKind;
use crate::redis::reply::Reply;
use crate::scenario::SubscriberSource;

/// A subscriber's own state: what it listens to.
#[derive(Clone, Debug)]
pub struct Subscriber {
    source: SubscriberSource,
}

impl Subscriber {
    /// A subscriber to `source`'s channels, patterns and shard channels.
    pub fn new(source: &SubscriberSource) -> Self {
        Subscriber {
            source: source.clone(),
        }
    }

    /// What it listens to.
    pub fn source(&self) -> &SubscriberSource {
        &self.source
    }

    /// A new connection: SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE what it
    /// listens to.
    pub fn connected(&self, cx: &mut Cx<'_>) {
        let kinds: [(SubscriptionKind, &Vec<String>); 3] = [
            (SubscriptionKind::Channel, &self.source.channels),
            (SubscriptionKind::Pattern, &self.source.patterns),
            (SubscriptionKind::Shard, &self.source.shard_channels),
        ];
        for (kind, names) in kinds {
            if !names.is_empty() {
                cx.send(client::subscribe(kind, names));
            }
        }
    }

    /// A push: a message to process (confirmations need nothing).
    pub fn on_push(&self, p: &mut Parts<'_>, reply: &Reply) {
        if let Ok(Push::Message { payload, .. }) = client::push(reply) {
            p.run.batch.push_back(Item {
                msg: p.catalog.parse(&payload),
                id: None,
                gate: Gate::Ready,
            });
        }
    }
}
