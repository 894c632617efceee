//! Numbers in as few bytes as they need (LEB128 varints), for what a run keeps of many reports
//! (the corpus checks' cells, the list of files): small numbers, a byte each.

/// Append `n` as a LEB128 varint: seven bits a byte, low bits first, the high bit set on every
/// byte but the last.
///
/// ```
/// use xxgk_model::varint::{put, take};
/// let mut bytes = Vec::new();
/// put(&mut bytes, 5);
/// put(&mut bytes, 300);
/// assert_eq!(bytes, [5, 0xac, 0x02]);
/// let mut rest = bytes.as_slice();
/// assert_eq!((take(&mut rest), take(&mut rest), take(&mut rest)), (Some(5), Some(300), None));
/// ```
pub fn put(bytes: &mut Vec<u8>, mut n: u128) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            bytes.push(low);
            return;
        }
        bytes.push(low | 0x80);
    }
}

/// Take a varint written by [`put`] from the front of `bytes`; `None` at the end (or for a
/// varint too long, which [`put`] never writes).
pub fn take(bytes: &mut &[u8]) -> Option<u128> {
    let mut n = 0u128;
    for shift in (0..128).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u128::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}
