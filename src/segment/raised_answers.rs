//! Answer words printed a little above their question's first line: in
//! scans they are read before it and land at the end of the row above;
//! they are given back to their own row.

use super::lines::Col;
use super::tokens::Token;
use super::RowSegment;

/// In scans the answer word may sit a little higher than the first line of
/// its question, so it is read before it and lands at the end of the row
/// above. Give such answer-column words back to the row whose first line
/// they stand beside.
pub(super) fn claim_answer_slots(rows: &mut [RowSegment], tokens: &[Token]) {
    for r in 1..rows.len() {
        let Some(first) = rows[r].matched.iter().map(|m| m.token).min() else {
            continue;
        };
        let Some((y, h)) = tokens[first].y else {
            continue;
        };
        let (prev, rest) = rows.split_at_mut(r);
        let above = &mut prev[r - 1];
        let mut moved = Vec::new();
        while let Some(&t) = above.content.last() {
            let tok = &tokens[t];
            let beside =
                tok.page == tokens[first].page && tok.y.is_some_and(|(ty, _)| ty >= y - 0.8 * h);
            if tok.col != Col::Right || t > first || !beside {
                break;
            }
            moved.push(t);
            above.content.pop();
        }
        moved.reverse();
        let row = &mut rest[0];
        moved.append(&mut row.content);
        row.content = moved;
    }
}
