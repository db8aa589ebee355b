//! Leader election by the controller. Clean: the first live ISR member in
//! the partition's assignment order — not the most caught-up one. Unclean
//! (`unclean.leader.election.enable=true`, only when no ISR member is
//! live): the first live replica, whatever it is missing.

use alloc::vec::Vec;

use crate::kafka::event::BrokerId;

/// The controller's choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// A live ISR member leads.
    Clean(BrokerId),
    /// An out-of-sync replica leads: acknowledged records may be lost.
    Unclean(BrokerId),
    /// Nobody may lead: the partition is offline.
    None,
}

/// Chooses a leader among `assignment`, given the ISR, which brokers are
/// live (registered and unfenced) and whether unclean election is allowed.
pub fn choose(
    assignment: &[BrokerId],
    isr: &[BrokerId],
    live: impl Fn(BrokerId) -> bool,
    unclean_allowed: bool,
) -> Choice {
    if let Some(&b) = assignment.iter().find(|b| isr.contains(b) && live(**b)) {
        return Choice::Clean(b);
    }
    if let (true, Some(&b)) = (unclean_allowed, assignment.iter().find(|b| live(**b))) {
        return Choice::Unclean(b);
    }
    Choice::None
}

/// The ISR after fencing `broker` without ELR: without it, unless it is
/// the last member, which KRaft keeps (an ISR is never empty; the partition
/// is then leaderless until that broker returns). With ELR (KIP-966) the
/// ISR does empty; see `Partition::remove_fenced`.
pub fn isr_without(isr: &[BrokerId], broker: BrokerId) -> Vec<BrokerId> {
    let rest: Vec<BrokerId> = isr.iter().copied().filter(|b| *b != broker).collect();
    if rest.is_empty() { isr.to_vec() } else { rest }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_takes_assignment_order_unclean_only_when_allowed() {
        let live = |b: BrokerId| b != 1;
        assert_eq!(
            choose(&[1, 2, 3], &[1, 3, 2], live, false),
            Choice::Clean(2)
        );
        assert_eq!(choose(&[1, 2, 3], &[1], live, false), Choice::None);
        assert_eq!(choose(&[1, 2, 3], &[1], live, true), Choice::Unclean(2));
        assert_eq!(isr_without(&[1], 1), alloc::vec![1]);
        assert_eq!(isr_without(&[1, 2], 1), alloc::vec![2]);
    }
}
