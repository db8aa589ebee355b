//! The labs the navigation offers: one teaching scene each.

/// One lab of the site. The order of [`Lab::ALL`] is the order of the
/// navigation, from the first concept a learner meets to the last.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lab {
    /// Redis Streams: entries, consumer groups, pending lists, claims.
    #[default]
    Streams,
    /// A list queue, a stream and a pub/sub channel side by side.
    Compare,
    /// Kafka-style replicated partitions and consumer offsets.
    Kafka,
    /// At-most-once, at-least-once and exactly-once delivery.
    Guarantees,
}

impl Lab {
    /// Every lab, in navigation order.
    pub const ALL: [Lab; 4] = [Lab::Streams, Lab::Compare, Lab::Kafka, Lab::Guarantees];

    /// The stable, untranslated name of the lab: the `data-lab` attribute the
    /// end-to-end tests select by, and the value a share link will carry.
    pub const fn slug(self) -> &'static str {
        match self {
            Lab::Streams => "streams",
            Lab::Compare => "compare",
            Lab::Kafka => "kafka",
            Lab::Guarantees => "guarantees",
        }
    }

    /// The built-in scenarios the lab offers, in menu order (none for a
    /// lab that is not built).
    pub const fn scenarios(self) -> &'static [&'static str] {
        match self {
            Lab::Streams => &crate::run::STREAM_SCENARIOS,
            Lab::Compare => &crate::run::COMPARE_SCENARIOS,
            Lab::Kafka => &crate::run::KAFKA_SCENARIOS,
            Lab::Guarantees => &crate::run::GUARANTEE_SCENARIOS,
        }
    }

    /// Whether the lab draws a run (it is built).
    pub const fn runs(self) -> bool {
        !self.scenarios().is_empty()
    }

    /// Whether the lab lets the reader run its scenario on a Redis
    /// Cluster (`cluster-enabled`): the Compare lab, whose cluster panel
    /// draws it.
    pub const fn has_cluster_switch(self) -> bool {
        matches!(self, Lab::Compare)
    }

    /// The lab named by `slug`, if any.
    pub fn from_slug(slug: &str) -> Option<Lab> {
        Lab::ALL.into_iter().find(|lab| lab.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario belongs to one lab, except a Kafka run whose lanes each
    /// keep a different guarantee: the Kafka lab draws its cluster lane by
    /// lane, the Guarantees lab its lanes side by side. Each lab can draw
    /// what it offers.
    #[test]
    fn a_scenario_is_one_labs_unless_kafka_and_guarantees_share_it() {
        use ackscope_engine::scenario::builtin;
        for lab in Lab::ALL {
            for name in lab.scenarios() {
                let s = builtin::by_name(name).unwrap_or_else(|| panic!("{name}"));
                let others: Vec<Lab> = Lab::ALL
                    .into_iter()
                    .filter(|l| *l != lab && l.scenarios().contains(name))
                    .collect();
                match (lab, others.as_slice()) {
                    (_, []) => {}
                    (Lab::Kafka, [Lab::Guarantees]) | (Lab::Guarantees, [Lab::Kafka]) => {
                        let guarantees: Vec<&str> = (0..s.lane_count())
                            .map(|l| s.policy(l, 0).guarantee.as_str())
                            .collect();
                        assert!(s.kafka.is_some() && guarantees.len() > 1, "{name}");
                        assert!(
                            guarantees
                                .iter()
                                .enumerate()
                                .all(|(i, g)| !guarantees[..i].contains(g)),
                            "{name}: a lane per guarantee"
                        );
                    }
                    (_, others) => panic!("{name} is offered by {lab:?} and {others:?}"),
                }
                if lab == Lab::Kafka {
                    assert!(s.kafka.is_some(), "{name}");
                }
            }
        }
    }

    #[test]
    fn slugs_round_trip_and_unknown_slugs_are_none() {
        for lab in Lab::ALL {
            assert_eq!(Lab::from_slug(lab.slug()), Some(lab));
        }
        assert_eq!(Lab::from_slug("Streams"), None);
        assert_eq!(Lab::from_slug(""), None);
    }
}
