//! Where a Redis scenario runs: on one server, or on a Redis Cluster of
//! [`CLUSTER_SHAPE`] — three primaries sharing the 16384 hash slots, each
//! with one replica, as `redis-cli --cluster create … --cluster-replicas 1`
//! makes the smallest cluster Redis's tutorial builds. The reader flips it
//! with [`RedisSetting::ClusterEnabled`] (`cluster-enabled`, as
//! `redis.conf` names it); [`Scenario::with_redis_settings`] applies it
//! and refuses, with Redis's own error, a workload a cluster would refuse:
//! a command whose keys hash to different slots (CROSSSLOT), or a scripted
//! command sent to a node that does not serve its keys (MOVED).

use alloc::format;
use alloc::string::String;

use super::{ClusterSpec, Scenario, ScenarioError, Source, processing_list};
use crate::redis::client;
use crate::redis::cmd::{cluster_refusal, lookup};
use crate::redis::db::cluster::{Cluster, key_hash_slot};
use crate::redis::parse::{Arg, split_args};

/// The cluster a scenario runs on when the reader turns the cluster on.
pub const CLUSTER_SHAPE: ClusterSpec = ClusterSpec {
    primaries: 3,
    replicas: 1,
};

/// The node scripted connections talk to, as `redis-cli -p 7000` without
/// `-c` does: a reply is not followed to another node.
const SCRIPT_NODE: u16 = 0;

/// One Redis setting a reader may change on a Redis scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedisSetting {
    /// `cluster-enabled yes`: every lane runs on a cluster of
    /// [`CLUSTER_SHAPE`] (or the scenario's own cluster); `no`: on one
    /// server.
    ClusterEnabled(bool),
}

impl RedisSetting {
    /// The Redis config it changes, verbatim.
    pub fn config_name(self) -> &'static str {
        match self {
            RedisSetting::ClusterEnabled(_) => "cluster-enabled",
        }
    }

    /// Its value as `redis.conf` writes it.
    pub fn value_text(self) -> &'static str {
        match self {
            RedisSetting::ClusterEnabled(true) => "yes",
            RedisSetting::ClusterEnabled(false) => "no",
        }
    }

    /// The setting `name value` names (`cluster-enabled yes|no`).
    pub fn parse(name: &str, value: &str) -> Option<RedisSetting> {
        match (name, value) {
            ("cluster-enabled", "yes") => Some(RedisSetting::ClusterEnabled(true)),
            ("cluster-enabled", "no") => Some(RedisSetting::ClusterEnabled(false)),
            _ => None,
        }
    }
}

impl Scenario {
    /// This Redis scenario with `settings` applied (the last one wins),
    /// validated. A workload the cluster would refuse is an error naming
    /// the command and carrying Redis's reply.
    pub fn with_redis_settings(
        &self,
        settings: &[RedisSetting],
    ) -> Result<Scenario, ScenarioError> {
        if self.kafka.is_some() {
            return Err(ScenarioError(
                "cluster-enabled: a Kafka scenario runs no Redis".into(),
            ));
        }
        let mut s = self.clone();
        if let Some(RedisSetting::ClusterEnabled(on)) = settings.last().copied() {
            if on && s.cluster.is_none() {
                s.cluster = Some(CLUSTER_SHAPE);
            } else if !on {
                // One server is node 0 for everybody.
                s.cluster = None;
                s.producers.iter_mut().for_each(|p| p.node = None);
                s.services
                    .iter_mut()
                    .flat_map(|s| s.workers.iter_mut())
                    .for_each(|w| w.node = None);
            }
        }
        if s.cluster != self.cluster
            && let Some(reason) = s.cluster_refusal()
        {
            return Err(ScenarioError(reason));
        }
        s.validate()?;
        Ok(s)
    }

    /// Whether this Redis scenario runs on a cluster (`None` for a Kafka
    /// scenario).
    pub fn redis_setting(&self) -> Option<RedisSetting> {
        self.kafka
            .is_none()
            .then_some(RedisSetting::ClusterEnabled(self.cluster.is_some()))
    }

    /// The first command of the workload its cluster would refuse, as a
    /// reason: a reliable queue's BLMOVE between lists of two slots, or a
    /// scripted command with keys of two slots or of a slot node 0 does
    /// not serve. `None` without a cluster, or when all would run.
    fn cluster_refusal(&self) -> Option<String> {
        let spec = self.cluster?;
        let cluster = Cluster::new(spec.primaries, spec.replicas).ok()?;
        let refused = |node: u16, argv: &[Arg], line: &str| {
            let command = lookup(argv).ok()?;
            let reply = cluster_refusal(&cluster, node, command, argv)?;
            Some(format!(
                "`{line}` sent to {} gets {}",
                cluster.address(node),
                reply.to_cli_text().trim_end()
            ))
        };
        for (i, service) in self.services.iter().enumerate() {
            let Source::ReliableList(key) = &service.source else {
                continue;
            };
            let node = cluster.slot_owner(key_hash_slot(key.as_bytes()));
            for w in &service.workers {
                let processing = processing_list(key, &w.name);
                let command = client::blmove(key.as_bytes(), processing.as_bytes(), w.block_ms);
                if let Some(why) = refused(node, command.argv(), &command.to_line()) {
                    return Some(format!("services[{i}] ({}): {why}", service.name));
                }
            }
        }
        for (i, step) in self.script.iter().enumerate() {
            let argv = split_args(step.command.as_bytes()).filter(|a| !a.is_empty());
            if let Some(why) = argv.and_then(|argv| refused(SCRIPT_NODE, &argv, &step.command)) {
                return Some(format!("script[{i}] ({}): {why}", step.client));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;

    fn on(name: &str) -> Result<Scenario, ScenarioError> {
        builtin::by_name(name)
            .unwrap()
            .with_redis_settings(&[RedisSetting::ClusterEnabled(true)])
    }

    #[test]
    fn settings_read_back_as_themselves() {
        for on in [true, false] {
            let s = RedisSetting::ClusterEnabled(on);
            assert_eq!(
                RedisSetting::parse(s.config_name(), s.value_text()),
                Some(s)
            );
        }
        assert_eq!(RedisSetting::parse("cluster-enabled", "true"), None);
        assert_eq!(RedisSetting::parse("cluster_enabled", "yes"), None);
    }

    #[test]
    fn a_cluster_of_three_primaries_runs_the_compare_workloads() {
        for name in [
            "queue-vs-stream-vs-pubsub",
            "fanout-vs-group",
            "polling-vs-blocking",
        ] {
            let s = on(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(s.cluster, Some(CLUSTER_SHAPE), "{name}");
            assert_eq!(s.redis_setting(), Some(RedisSetting::ClusterEnabled(true)));
            // Everything else is the scenario as written.
            let mut back = s.clone();
            back.cluster = None;
            assert_eq!(&back, &builtin::by_name(name).unwrap());
        }
    }

    #[test]
    fn a_blmove_across_slots_is_refused_with_crossslot() {
        let e = on("reliable-list-queue").unwrap_err().0;
        assert_eq!(
            e,
            "services[0] (workers): `BLMOVE jobs jobs:processing:w1 LEFT RIGHT 2.000` sent to \
             127.0.0.1:7001 gets (error) CROSSSLOT Keys in request don't hash to the same slot"
        );
    }

    #[test]
    fn a_script_across_slots_is_refused_with_redis_error() {
        let e = on("list-blocking-and-rotation").unwrap_err().0;
        assert!(
            e.starts_with("script[0] (alice): `BLPOP jobs:high jobs:low 5`"),
            "{e}"
        );
        assert!(
            e.ends_with("(error) CROSSSLOT Keys in request don't hash to the same slot"),
            "{e}"
        );
    }

    #[test]
    fn a_cluster_scenario_runs_on_one_server_with_its_nodes_forgotten() {
        let own = builtin::by_name("sharded-pubsub").unwrap();
        assert_eq!(
            own.with_redis_settings(&[RedisSetting::ClusterEnabled(true)]),
            Ok(own.clone())
        );
        let single = own
            .with_redis_settings(&[RedisSetting::ClusterEnabled(false)])
            .unwrap();
        assert_eq!(single.cluster, None);
        assert!(single.producers.iter().all(|p| p.node.is_none()));
        assert!(single.workers().all(|(_, w)| w.node.is_none()));
    }

    #[test]
    fn kafka_scenarios_have_no_redis_setting() {
        let kafka = builtin::by_name("kafka-acksall-safe").unwrap();
        assert_eq!(kafka.redis_setting(), None);
        let e = kafka
            .with_redis_settings(&[RedisSetting::ClusterEnabled(true)])
            .unwrap_err();
        assert!(e.0.starts_with("cluster-enabled:"), "{e}");
    }
}
