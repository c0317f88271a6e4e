//! The loss history, bounded: past [`HISTORY_LIMIT`] records it is thinned evenly, keeping the
//! first, the latest and every halving, so a run of any length exports to a file of bounded size.

use super::records::LossRecord;

/// Most loss records kept.
pub const HISTORY_LIMIT: usize = 2000;

/// Drops every other record, keeping the first, the last and every halving. Returns whether any
/// record went.
pub(super) fn thin(records: &mut Vec<LossRecord>) -> bool {
    let (before, last) = (records.len(), records.len().saturating_sub(1));
    let mut keep = false;
    let mut index = 0;
    records.retain(|r| {
        let i = index;
        index += 1;
        if i == 0 || i == last || r.halved {
            return true;
        }
        keep = !keep;
        keep
    });
    records.len() < before
}

/// The records after epoch `after` (all of them for `None`), at most `most` of them chosen
/// evenly, always with every halving and the latest: what a chart needs to catch up.
pub(super) fn since(history: &[LossRecord], after: Option<usize>, most: usize) -> Vec<LossRecord> {
    let start = after.map_or(0, |e| history.partition_point(|r| r.epoch <= e));
    let mut records = history[start..].to_vec();
    while records.len() > most.max(2) && thin(&mut records) {}
    records
}
