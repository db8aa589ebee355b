//! Producers: what they send, and when.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::redis::parse::Arg;
use crate::rng::Rng;
use crate::scenario::{ProducerSpec, Source, Target};

/// The command that sends message `text` (number `seq`) to `target`.
/// Stream entries carry the message ID in a `msg` field, then the
/// producer's fields; list values and pub/sub payloads are the message ID
/// followed by `field=value` words.
pub fn command(target: &Target, spec: &ProducerSpec, text: &str, seq: u32) -> Vec<Arg> {
    let fields: Vec<(String, String)> = spec
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), v.replace("{n}", &format!("{seq}"))))
        .collect();
    let mut argv: Vec<Arg> = Vec::new();
    let mut push = |s: &str| argv.push(s.as_bytes().to_vec());
    match target {
        Target::Stream(key) => {
            push("XADD");
            push(key);
            if let Some(n) = spec.maxlen {
                push("MAXLEN");
                push("~");
                push(&format!("{n}"));
            }
            push("*");
            push("msg");
            push(text);
            for (k, v) in &fields {
                push(k);
                push(v);
            }
        }
        Target::List(key) | Target::Channel(key) | Target::ShardChannel(key) => {
            let verb = match target {
                Target::List(_) => "RPUSH",
                Target::Channel(_) => "PUBLISH",
                _ => "SPUBLISH",
            };
            push(verb);
            push(key);
            let mut value = String::from(text);
            for (k, v) in &fields {
                value.push(' ');
                value.push_str(k);
                value.push('=');
                value.push_str(v);
            }
            push(&value);
        }
    }
    argv
}

/// The key or channel a target names.
pub fn target_key(target: &Target) -> String {
    match target {
        Target::Stream(k) | Target::List(k) | Target::Channel(k) | Target::ShardChannel(k) => {
            k.clone()
        }
    }
}

/// Milliseconds until the producer's next message after message `seq`, or
/// `None` when it is done.
pub fn next_delay(spec: &ProducerSpec, seq: u32, rng: &mut Rng) -> Option<u64> {
    if spec.count.is_some_and(|c| seq >= c) {
        return None;
    }
    if let Some(every) = spec.every_ms {
        return Some(every);
    }
    if let Some(rate) = spec.rate_per_s {
        return Some(rng.exponential_ms(1000.0 / rate));
    }
    let times = spec.at_ms.as_ref()?;
    let (this, next) = (times.get(seq as usize - 1)?, times.get(seq as usize)?);
    Some(next.saturating_sub(*this))
}

/// Whether a lane reading `source` receives what is sent to `target`.
pub fn lane_reads(source: &Source, target: &Target) -> bool {
    match (source, target) {
        (Source::Group(g), Target::Stream(k)) => g.stream == *k,
        (Source::List(l), Target::List(k)) => l == k,
        (Source::Subscriber(s), Target::Channel(c)) => {
            s.channels.contains(c)
                || s.patterns.iter().any(|p| {
                    crate::redis::db::glob::string_match(p.as_bytes(), c.as_bytes(), false)
                })
        }
        (Source::Subscriber(s), Target::ShardChannel(c)) => s.shard_channels.contains(c),
        _ => false,
    }
}
