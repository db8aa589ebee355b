//! The Kafka model (Apache Kafka 3.x/4.x, KRaft): brokers with racks, a
//! controller, topics with replicated partitions (log, LEO, HW, ISR, leader
//! epoch), elections clean and unclean with KIP-101 truncation, producers
//! (acks, retries, idempotence) and consumer groups (classic protocol,
//! eager assignors, committed offsets), in simulated time.
//!
//! Requests in, typed answers and [`Event`]s out, like the Redis model; see
//! [`Cluster`]. Known differences from a real Kafka are listed in
//! `describe.rs`'s [`describe::DIFFERENCES`].

pub mod assignor;
pub mod cluster;
pub mod config;
pub mod describe;
pub mod election;
pub mod error;
pub mod event;
pub mod group;
pub mod idempotence;
pub mod isr;
pub mod log;
pub mod offsets;
pub mod partition;
pub mod producer;
pub mod replica;
pub mod transaction;

pub use cluster::{Broker, Cluster, ConsumedRecord, Topic};
pub use config::{
    Acks, AssignorKind, AutoOffsetReset, BrokerConfig, ConsumerConfig, IsolationLevel,
    ProducerConfig, TopicConfig,
};
pub use error::{ErrorCode, Thrown};
pub use event::{
    BrokerId, ConsumerHandle, Event, ProducerHandle, SendId, SendOutcome, TopicPartition,
    TxnEndReason,
};
