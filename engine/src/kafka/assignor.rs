//! The classic protocol's eager assignors. The group leader runs one over
//! the members' subscriptions; every partition goes to exactly one member.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::kafka::config::AssignorKind;
use crate::kafka::event::TopicPartition;

/// Assigns `partitions` (topic → partition count) to `members` (member id →
/// subscribed topics). Members are taken in member-id order, as Kafka's
/// assignors sort them.
pub fn assign(
    kind: AssignorKind,
    members: &BTreeMap<String, Vec<String>>,
    partitions: &BTreeMap<String, u32>,
) -> BTreeMap<String, Vec<TopicPartition>> {
    let mut out: BTreeMap<String, Vec<TopicPartition>> =
        members.keys().map(|m| (m.clone(), Vec::new())).collect();
    match kind {
        AssignorKind::Range => {
            // Per topic: the first (count % n) members get one extra.
            for (topic, count) in partitions {
                let subs: Vec<&String> = members
                    .iter()
                    .filter(|(_, t)| t.contains(topic))
                    .map(|(m, _)| m)
                    .collect();
                let n = subs.len() as u32;
                if n == 0 {
                    continue;
                }
                let (per, extra) = (count / n, count % n);
                let mut next = 0;
                for (i, m) in subs.iter().enumerate() {
                    let take = per + u32::from((i as u32) < extra);
                    for p in next..next + take {
                        if let Some(v) = out.get_mut(*m) {
                            v.push(TopicPartition::new(topic, p));
                        }
                    }
                    next += take;
                }
            }
        }
        AssignorKind::RoundRobin => {
            // Every partition, sorted by topic then index, dealt in turn to
            // the members subscribed to its topic.
            let ids: Vec<&String> = members.keys().collect();
            let mut turn = 0usize;
            for (topic, count) in partitions {
                for p in 0..*count {
                    for _ in 0..ids.len() {
                        let m = ids[turn % ids.len()];
                        turn += 1;
                        if members.get(m).is_some_and(|t| t.contains(topic)) {
                            if let Some(v) = out.get_mut(m) {
                                v.push(TopicPartition::new(topic, p));
                            }
                            break;
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn members(ids: &[&str]) -> BTreeMap<String, Vec<String>> {
        ids.iter()
            .map(|m| (String::from(*m), vec![String::from("t")]))
            .collect()
    }

    #[test]
    fn range_gives_the_first_members_the_extra_partitions() {
        let parts = [(String::from("t"), 5)].into_iter().collect();
        let a = assign(AssignorKind::Range, &members(&["a", "b"]), &parts);
        let idx = |m: &str| a[m].iter().map(|tp| tp.partition).collect::<Vec<_>>();
        assert_eq!(idx("a"), vec![0, 1, 2]);
        assert_eq!(idx("b"), vec![3, 4]);
        let r = assign(AssignorKind::RoundRobin, &members(&["a", "b"]), &parts);
        let idx = |m: &str| r[m].iter().map(|tp| tp.partition).collect::<Vec<_>>();
        assert_eq!(idx("a"), vec![0, 2, 4]);
        assert_eq!(idx("b"), vec![1, 3]);
    }
}
