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

    #[test]
    fn slugs_round_trip_and_unknown_slugs_are_none() {
        for lab in Lab::ALL {
            assert_eq!(Lab::from_slug(lab.slug()), Some(lab));
        }
        assert_eq!(Lab::from_slug("Streams"), None);
        assert_eq!(Lab::from_slug(""), None);
    }
}
