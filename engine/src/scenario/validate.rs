//! What serde cannot check: ranges, references between parts, and
//! combinations that contradict a service's guarantee.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::kafka::BrokerRole;
use super::*;

fn fail<T>(field: impl core::fmt::Display, problem: &str) -> Result<T, ScenarioError> {
    Err(ScenarioError(format!("{field}: {problem}")))
}

impl Scenario {
    /// Checks everything serde cannot: ranges, references between parts,
    /// combinations that contradict a lane's guarantee.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !name_ok {
            return fail("name", "use 1 to 64 lowercase letters, digits and dashes");
        }
        if self.duration_ms == 0 || self.end_ms() > MAX_RUN_MS {
            return fail(
                "duration_ms",
                "must be more than 0, and duration_ms + drain_ms at most 86400000 (one day)",
            );
        }
        if let Some(c) = &self.cluster {
            if !(1..=16).contains(&c.primaries) {
                return fail("cluster.primaries", "must be between 1 and 16");
            }
            if c.replicas > 2 {
                return fail("cluster.replicas", "must be between 0 and 2");
            }
        }
        let nodes = self.cluster.map_or(1, |c| c.primaries * (1 + c.replicas));
        let nodes_used = self
            .producers
            .iter()
            .map(|p| p.node)
            .chain(self.workers().map(|(_, w)| w.node));
        if nodes_used.flatten().any(|n| n >= nodes) {
            return fail(
                "node",
                &format!(
                    "nodes are numbered from 0 to {} in this scenario",
                    nodes - 1
                ),
            );
        }
        self.validate_kafka()?;
        self.validate_producers()?;
        self.validate_services()?;
        self.validate_lanes()?;
        self.validate_faults()?;
        for (i, n) in self.narration.iter().enumerate() {
            for text in [&n.text.en, &n.text.ko] {
                for hole in holes(text) {
                    let known = self.services.iter().any(|s| s.name == hole.service)
                        && COUNTS.contains(&hole.count);
                    if !known {
                        return fail(
                            format_args!("narration[{i}].text"),
                            &format!(
                                "{{{}.{}}} names no service's count; counts are {}",
                                hole.service,
                                hole.count,
                                COUNTS.join(", ")
                            ),
                        );
                    }
                }
            }
        }
        for (i, step) in self.script.iter().enumerate() {
            if step.at_ms > self.end_ms() {
                return fail(
                    format_args!("script[{i}].at_ms"),
                    "must be within duration_ms + drain_ms",
                );
            }
            if crate::redis::parse::split_args(step.command.as_bytes()).is_none_or(|a| a.is_empty())
            {
                return fail(
                    format_args!("script[{i}].command"),
                    "must be a command line redis-cli accepts",
                );
            }
        }
        Ok(())
    }

    fn validate_producers(&self) -> Result<(), ScenarioError> {
        let mut names = Vec::new();
        for (i, p) in self.producers.iter().enumerate() {
            let at = |f: &str| format!("producers[{i}].{f}");
            check_name(&at("name"), &p.name, &mut names)?;
            if p.targets.is_empty() {
                return fail(
                    at("targets"),
                    "name at least one stream, list, channel or shard_channel",
                );
            }
            let schedules = [
                p.every_ms.is_some(),
                p.rate_per_s.is_some(),
                p.at_ms.is_some(),
            ];
            if schedules.iter().filter(|s| **s).count() != 1 {
                return fail(
                    at("every_ms"),
                    "give exactly one of every_ms, rate_per_s or at_ms",
                );
            }
            if p.every_ms == Some(0) {
                return fail(at("every_ms"), "must be at least 1");
            }
            if let Some(r) = p.rate_per_s
                && !(r > 0.0 && r <= 10_000.0)
            {
                return fail(at("rate_per_s"), "must be more than 0 and at most 10000");
            }
            if p.count == Some(0) || p.count.is_some_and(|c| c > 1_000_000) {
                return fail(at("count"), "must be between 1 and 1000000");
            }
            if !(1..=600_000).contains(&p.timeout_ms) {
                return fail(at("timeout_ms"), "must be between 1 and 600000");
            }
            if p.retries > 10 {
                return fail(at("retries"), "must be between 0 and 10");
            }
            if p.poison.contains(&0) {
                return fail(at("poison"), "message numbers start at 1");
            }
        }
        Ok(())
    }

    fn validate_services(&self) -> Result<(), ScenarioError> {
        let mut names = Vec::new();
        // Roles are unique across producers and workers: faults name them.
        let mut workers: Vec<String> = self.producers.iter().map(|p| p.name.clone()).collect();
        for (i, lane) in self.services.iter().enumerate() {
            let at = |f: &str| format!("services[{i}].{f}");
            if lane.name.trim().is_empty()
                || lane.name.chars().count() > 60
                || lane.name.chars().any(char::is_control)
            {
                return fail(at("name"), "use 1 to 60 printable characters");
            }
            if names.contains(&lane.name) {
                return fail(at("name"), &format!("\"{}\" is used twice", lane.name));
            }
            names.push(lane.name.clone());
            if lane.workers.is_empty() {
                return fail(at("workers"), "a service needs at least one worker");
            }
            let ack = Policy::new(lane.guarantee, lane.ack).ack;
            let acks_first = matches!(
                ack,
                AckPolicy::BeforeProcessing | AckPolicy::Noack | AckPolicy::Auto
            );
            match (&lane.source, lane.guarantee) {
                (Source::Group(g), _) => {
                    if ack == AckPolicy::Auto {
                        return fail(
                            at("ack"),
                            "auto is Kafka's enable.auto.commit; a stream consumer acks with XACK",
                        );
                    }
                    if g.start != "0" && g.start != "$" {
                        return fail(
                            at("source.group.start"),
                            "use \"0\" (whole history) or \"$\" (new entries only)",
                        );
                    }
                    if (lane.guarantee == Guarantee::AtMostOnce) != acks_first {
                        return fail(
                            at("ack"),
                            "at-most-once acks before processing (before-processing or noack); at-least-once and exactly-once ack after (after-each or after-batch)",
                        );
                    }
                }
                (Source::Topic(t), g) => {
                    if let Err((field, why)) = kafka_guarantee(t, g) {
                        return fail(at(field), why);
                    }
                    if ack == AckPolicy::Noack {
                        return fail(
                            at("ack"),
                            "noack is a Redis stream read; a Kafka consumer commits offsets",
                        );
                    }
                    if (lane.guarantee == Guarantee::AtMostOnce) != acks_first {
                        return fail(
                            at("ack"),
                            "at-most-once commits before processing (before-processing or auto: enable.auto.commit commits what is not processed yet); at-least-once commits after (after-each or after-batch)",
                        );
                    }
                }
                (Source::List(_) | Source::Subscriber(_), Guarantee::AtMostOnce) => {}
                (Source::ReliableList(_), Guarantee::AtLeastOnce) => {}
                (Source::ReliableList(_), _) => {
                    return fail(
                        at("guarantee"),
                        "a reliable list queue keeps each value in a processing list until the work is done, and does it again after a crash, so it is at-least-once",
                    );
                }
                (Source::List(_), _) => {
                    return fail(
                        at("guarantee"),
                        "a list service pops messages before processing them, so it is at-most-once",
                    );
                }
                (Source::Subscriber(_), _) => {
                    return fail(
                        at("guarantee"),
                        "pub/sub is fire-and-forget, so a subscriber service is at-most-once",
                    );
                }
                (Source::Reader(r), g) => {
                    let want = match r.from.as_str() {
                        "$" => Guarantee::AtMostOnce,
                        "0" => Guarantee::AtLeastOnce,
                        _ => {
                            return fail(
                                at("source.reader.from"),
                                "use \"0\" (whole history) or \"$\" (new entries only)",
                            );
                        }
                    };
                    if g != want {
                        return fail(
                            at("guarantee"),
                            "a reader from $ misses what arrives while it is down (at-most-once); a reader from 0 reads everything again after a restart (at-least-once)",
                        );
                    }
                }
            }
            if let Source::Subscriber(s) = &lane.source
                && s.channels.is_empty()
                && s.patterns.is_empty()
                && s.shard_channels.is_empty()
            {
                return fail(
                    at("source.subscriber"),
                    "subscribe to at least one channel, pattern or shard channel",
                );
            }
            if let Some(d) = &lane.dead_letter
                && (d.after_deliveries == 0 || !matches!(lane.source, Source::Group(_)))
            {
                return fail(
                    at("dead_letter"),
                    "needs a group source and after_deliveries of at least 1",
                );
            }
            for (j, w) in lane.workers.iter().enumerate() {
                self.validate_worker(&format!("services[{i}].workers[{j}]"), w, &mut workers)?;
                if w.poll_ms.is_some() && !matches!(lane.source, Source::List(_) | Source::Topic(_))
                {
                    return fail(
                        format_args!("services[{i}].workers[{j}].poll_ms"),
                        "only a plain list worker (LPOP) and a Kafka consumer poll; the others wait inside Redis",
                    );
                }
                if matches!(lane.source, Source::Topic(_)) && w.failure_probability > 0.0 {
                    return fail(
                        format_args!("services[{i}].workers[{j}].failure_probability"),
                        "a Kafka consumer here does not fail its processing (crash it with a fault instead)",
                    );
                }
            }
        }
        Ok(())
    }

    fn validate_lanes(&self) -> Result<(), ScenarioError> {
        if self.lanes.len() > MAX_LANES {
            return fail(
                "lanes",
                &format!("at most {MAX_LANES} lanes run side by side"),
            );
        }
        let mut names = Vec::new();
        for (i, lane) in self.lanes.iter().enumerate() {
            let at = |f: &str| format!("lanes[{i}].{f}");
            if lane.name.trim().is_empty()
                || lane.name.chars().count() > 40
                || lane.name.chars().any(char::is_control)
            {
                return fail(at("name"), "use 1 to 40 printable characters");
            }
            if names.contains(&lane.name) {
                return fail(at("name"), &format!("\"{}\" is used twice", lane.name));
            }
            names.push(lane.name.clone());
            if let Some(g) = lane.guarantee {
                let acks_first = matches!(
                    Policy::new(g, lane.ack).ack,
                    AckPolicy::BeforeProcessing | AckPolicy::Noack | AckPolicy::Auto
                );
                if (g == Guarantee::AtMostOnce) != acks_first {
                    return fail(
                        at("ack"),
                        "at-most-once acks before processing (before-processing or noack); at-least-once and exactly-once ack after (after-each or after-batch)",
                    );
                }
            }
            for (s, service) in self.services.iter().enumerate() {
                let policy = self.policy(i, s);
                if let Source::Topic(t) = &service.source
                    && let Err((_, why)) = kafka_guarantee(t, policy.guarantee)
                {
                    return fail(at("guarantee"), &format!("for {}: {why}", service.name));
                }
                let acks_first = matches!(
                    policy.ack,
                    AckPolicy::BeforeProcessing | AckPolicy::Noack | AckPolicy::Auto
                );
                if (policy.guarantee == Guarantee::AtMostOnce) != acks_first {
                    return fail(
                        at("ack"),
                        &format!(
                            "gives {} a {} guarantee with ack {:?}, which contradict each other",
                            service.name,
                            policy.guarantee.as_str(),
                            policy.ack
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    fn validate_worker(
        &self,
        at: &str,
        w: &WorkerSpec,
        names: &mut Vec<String>,
    ) -> Result<(), ScenarioError> {
        check_name(&format!("{at}.name"), &w.name, names)?;
        if w.stop_ms.is_some_and(|stop| stop <= w.start_ms) {
            return fail(format_args!("{at}.stop_ms"), "must be after start_ms");
        }
        if !(1..=1000).contains(&w.count) {
            return fail(format_args!("{at}.count"), "must be between 1 and 1000");
        }
        if !(1..=600_000).contains(&w.timeout_ms) {
            return fail(
                format_args!("{at}.timeout_ms"),
                "must be between 1 and 600000",
            );
        }
        if !(0.0..=1.0).contains(&w.failure_probability) {
            return fail(
                format_args!("{at}.failure_probability"),
                "must be between 0 and 1",
            );
        }
        let (lo, hi) = match w.processing_ms {
            Dist::Fixed(v) | Dist::Exponential(v) => (v, v),
            Dist::Uniform([a, b]) => (a, b),
        };
        if lo > hi || hi > 600_000 {
            return fail(
                format_args!("{at}.processing_ms"),
                "use durations up to 600000 ms, the smaller bound first",
            );
        }
        if w.poll_ms.is_some_and(|ms| !(1..=600_000).contains(&ms)) {
            return fail(format_args!("{at}.poll_ms"), "must be between 1 and 600000");
        }
        if let Some(c) = w.claim {
            if c.every_ms == 0 || c.count == 0 {
                return fail(
                    format_args!("{at}.claim"),
                    "every_ms and count must be at least 1",
                );
            }
            if self.drain_ms < c.min_idle_ms + c.every_ms {
                return fail(
                    "drain_ms",
                    &format!(
                        "must be at least {} ms (claim.min_idle_ms + claim.every_ms of {}) so that recovery can finish",
                        c.min_idle_ms + c.every_ms,
                        w.name
                    ),
                );
            }
        }
        Ok(())
    }

    fn validate_faults(&self) -> Result<(), ScenarioError> {
        for (i, f) in self.faults.iter().enumerate() {
            let at = |field: &str| format!("faults[{i}].{field}");
            let kafka = self.kafka.is_some();
            if kafka {
                self.validate_kafka_fault(i, f)?;
            }
            match (&f.role, f.kind.needs_role()) {
                _ if kafka => {}
                (None, true) => return fail(at("role"), "name the worker or producer it hits"),
                (Some(_), false) => {
                    return fail(at("role"), "broker faults hit the broker, not a role");
                }
                (Some(role), true) => {
                    let worker = self.workers().any(|(_, w)| w.name == *role);
                    if f.kind.targets_process() && !worker {
                        return fail(at("role"), "must name a worker of a service");
                    }
                    if !self.has_role(role) {
                        return fail(at("role"), "must name a worker or a producer");
                    }
                }
                (None, false) => {}
            }
            if f.at_ms > self.duration_ms {
                return fail(
                    at("at_ms"),
                    "faults happen before duration_ms (the drain heals them)",
                );
            }
            let needs_until = matches!(f.kind, FaultKind::Slow | FaultKind::Disconnect);
            match f.until_ms {
                Some(u) if u <= f.at_ms => return fail(at("until_ms"), "must be after at_ms"),
                None if needs_until => {
                    return fail(at("until_ms"), "slow and disconnect faults need until_ms");
                }
                Some(_) if !(needs_until || f.kind == FaultKind::BrokerCrash) => {
                    return fail(
                        at("until_ms"),
                        "only slow, disconnect and broker-crash faults end at until_ms",
                    );
                }
                _ => {}
            }
            if f.kind == FaultKind::Slow && !f.factor.is_some_and(|x| (1.0..=100.0).contains(&x)) {
                return fail(at("factor"), "a slowdown factor between 1 and 100");
            }
            let lossy = matches!(f.kind, FaultKind::LoseCommand | FaultKind::LoseReply);
            if let Some(c) = &f.command
                && (!lossy
                    || c.is_empty()
                    || c.len() > 32
                    || !c.bytes().all(|b| b.is_ascii_alphabetic()))
            {
                return fail(
                    at("command"),
                    "lose-command and lose-reply faults may name one command, such as XACK",
                );
            }
        }
        Ok(())
    }
    /// A Kafka scenario: brokers, topics and their assignments make a
    /// cluster the model accepts; producers write to its topics and every
    /// service is one of its consumer groups.
    fn validate_kafka(&self) -> Result<(), ScenarioError> {
        let Some(k) = &self.kafka else {
            for (i, p) in self.producers.iter().enumerate() {
                if p.targets.iter().any(|t| matches!(t, Target::Topic(_))) || p.config.is_some() {
                    return fail(
                        format_args!("producers[{i}].targets"),
                        "topics and producer configs need a kafka cluster (the scenario's kafka field)",
                    );
                }
            }
            if let Some(i) = self
                .services
                .iter()
                .position(|s| matches!(s.source, Source::Topic(_)))
            {
                return fail(
                    format_args!("services[{i}].source"),
                    "a topic source needs a kafka cluster (the scenario's kafka field)",
                );
            }
            return Ok(());
        };
        if self.cluster.is_some() || !self.script.is_empty() {
            return fail(
                "kafka",
                "a Kafka scenario has no Redis cluster and no script of Redis commands",
            );
        }
        if !(1..=9).contains(&k.brokers.len()) {
            return fail("kafka.brokers", "between 1 and 9 brokers");
        }
        let mut ids = Vec::new();
        for (i, b) in k.brokers.iter().enumerate() {
            if !(1..=999).contains(&b.id) || ids.contains(&b.id) {
                return fail(
                    format_args!("kafka.brokers[{i}].id"),
                    "node ids are unique, between 1 and 999",
                );
            }
            if b.rack
                .as_ref()
                .is_some_and(|r| r.is_empty() || r.len() > 20)
            {
                return fail(
                    format_args!("kafka.brokers[{i}].rack"),
                    "1 to 20 characters",
                );
            }
            ids.push(b.id);
        }
        if k.topics.is_empty() || k.topics.len() > 8 {
            return fail("kafka.topics", "between 1 and 8 topics");
        }
        let mut names = Vec::new();
        for (i, t) in k.topics.iter().enumerate() {
            let at = |f: &str| format!("kafka.topics[{i}].{f}");
            check_name(&at("name"), &t.name, &mut names)?;
            if !(1..=12).contains(&t.partitions) {
                return fail(at("partitions"), "between 1 and 12");
            }
            let assignment = k.assignment(t);
            let ok = assignment.len() == t.partitions as usize
                && assignment.iter().all(|replicas| {
                    !replicas.is_empty()
                        && replicas.iter().all(|b| ids.contains(b))
                        && replicas
                            .iter()
                            .enumerate()
                            .all(|(j, b)| !replicas[..j].contains(b))
                });
            if !ok {
                return fail(
                    at("assignment"),
                    "one list of distinct, existing broker ids per partition (or a replication_factor from 1 to the number of brokers)",
                );
            }
            if t.config.min_insync_replicas == Some(0) || k.config.min_insync_replicas == 0 {
                return fail(at("config"), "min.insync.replicas is at least 1");
            }
        }
        for (i, p) in self.producers.iter().enumerate() {
            for target in &p.targets {
                match target {
                    Target::Topic(t) if k.topic(t).is_some() => {}
                    _ => {
                        return fail(
                            format_args!("producers[{i}].targets"),
                            "in a Kafka scenario every target is one of its topics",
                        );
                    }
                }
            }
            if p.config
                .as_ref()
                .is_some_and(|c| c.transactional_id.is_some())
            {
                return fail(
                    format_args!("producers[{i}].config"),
                    "transactional.id belongs to an exactly-once service's own producer, not to a scenario producer",
                );
            }
            if let Some(c) = &p.config
                && c.idempotence().is_err()
            {
                return fail(
                    format_args!("producers[{i}].config"),
                    "enable.idempotence=true needs acks=all, retries > 0 and max.in.flight.requests.per.connection at most 5 (Kafka throws ConfigException)",
                );
            }
        }
        for (i, lane) in self.lanes.iter().enumerate() {
            if lane
                .kafka_producer
                .as_ref()
                .is_some_and(|c| c.idempotence().is_err() || c.transactional_id.is_some())
            {
                return fail(
                    format_args!("lanes[{i}].kafka_producer"),
                    "enable.idempotence=true needs acks=all, retries > 0 and max.in.flight.requests.per.connection at most 5 (Kafka throws ConfigException); transactional.id is not a scenario producer's",
                );
            }
        }
        // Exactly-once reads what an idempotent producer wrote: a retry
        // that writes a record twice would be read, and processed, twice.
        for lane in 0..self.lanes.len().max(1) {
            let eos = (0..self.services.len())
                .any(|s| self.policy(lane, s).guarantee == Guarantee::ExactlyOnce);
            let config = self.lanes.get(lane).and_then(|l| l.kafka_producer.as_ref());
            let plain = self.producers.iter().position(|p| {
                let c = config.or(p.config.as_ref()).cloned().unwrap_or_default();
                c.idempotence() != Ok(true)
            });
            if eos && let Some(p) = plain {
                return fail(
                    format_args!("producers[{p}].config"),
                    "an exactly-once service needs idempotent producers upstream (enable.idempotence, acks=all): otherwise a retry writes a record twice",
                );
            }
        }
        for (i, s) in self.services.iter().enumerate() {
            let Source::Topic(src) = &s.source else {
                return fail(
                    format_args!("services[{i}].source"),
                    "in a Kafka scenario every service is a consumer group of a topic",
                );
            };
            if k.topic(&src.topic).is_none() {
                return fail(
                    format_args!("services[{i}].source.topic.topic"),
                    "must name one of the scenario's topics",
                );
            }
            if let Some(out) = &src.output
                && (k.topic(out).is_none() || *out == src.topic)
            {
                return fail(
                    format_args!("services[{i}].source.topic.output"),
                    "must name another of the scenario's topics",
                );
            }
        }
        Ok(())
    }

    /// A fault's role in a Kafka scenario: a consumer, a producer (a lost
    /// produce response) or a broker (`broker-N`, `leader`).
    fn validate_kafka_fault(&self, i: usize, f: &FaultSpec) -> Result<(), ScenarioError> {
        let Some(k) = &self.kafka else {
            return Ok(());
        };
        let at = |field: &str| format!("faults[{i}].{field}");
        let role = f.role.as_deref().unwrap_or("");
        let broker = BrokerRole::parse(role);
        if let Some(BrokerRole::Id(id)) = broker
            && !k.brokers.iter().any(|b| b.id == id)
        {
            return fail(at("role"), "names no broker of the cluster");
        }
        let worker = self.workers().any(|(_, w)| w.name == role);
        let producer = self.producers.iter().any(|p| p.name == role);
        let ok = match f.kind {
            FaultKind::BrokerCrash | FaultKind::BrokerRestart | FaultKind::Disconnect => {
                broker.is_some()
            }
            FaultKind::Slow => broker.is_some() || worker,
            FaultKind::Crash | FaultKind::Restart => worker,
            FaultKind::LoseReply => producer,
            FaultKind::LoseCommand => false,
        };
        if !ok {
            return fail(
                at("role"),
                "in a Kafka scenario: broker-crash, broker-restart and disconnect name a broker (broker-N or leader); slow a broker (a slow follower) or a consumer; crash and restart a consumer; lose-reply a producer (its produce response is lost); lose-command is not used",
            );
        }
        Ok(())
    }
}

fn check_name(field: &str, name: &str, seen: &mut Vec<String>) -> Result<(), ScenarioError> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'));
    if !ok {
        return fail(field, "use 1 to 40 letters, digits, '-', '_', ':' or '.'");
    }
    if seen.iter().any(|s| s == name) {
        return fail(field, &format!("\"{name}\" is used twice"));
    }
    seen.push(name.to_string());
    Ok(())
}

/// Whether a Kafka consumer group can give guarantee `g`: exactly-once is
/// a read-process-write transaction, so it needs an output topic; the
/// "dedup without a transaction" lane is a Redis one. `Err` holds the field
/// to blame and why.
fn kafka_guarantee(
    t: &super::kafka::TopicSource,
    g: Guarantee,
) -> Result<(), (&'static str, &'static str)> {
    match g {
        Guarantee::ExactlyOnce if t.output.is_none() => Err((
            "source.topic.output",
            "exactly-once with Kafka writes each result to an output topic in the same transaction as the input's offsets: name that topic in output",
        )),
        Guarantee::DedupWithoutTransaction => Err((
            "guarantee",
            "dedup-without-transaction is a Redis lane (check, act and record as separate commands); Kafka's exactly-once is a transaction",
        )),
        _ => Ok(()),
    }
}
