//! Segments appended to the build cache file after its base (see `site::persist`): each is
//! a list of entries behind a line of its own that gives its CRC-32 and length, so that a
//! segment cut short by a build killed while appending is told apart from a damaged one.

/// What a segment's first line starts with.
const MAGIC: &str = "cchc-build-cache-segment";
/// The longest first line a segment has (magic, CRC-32, a length of at most 20 digits).
const MAX_LINE: usize = MAGIC.len() + 1 + 8 + 1 + 20;

/// `payload` as a segment: its first line, then the payload.
pub(super) fn segment(payload: &[u8]) -> Vec<u8> {
    let crc = crc32fast::hash(payload);
    let mut out = format!("{MAGIC} {crc:08x} {}\n", payload.len()).into_bytes();
    out.extend_from_slice(payload);
    out
}

/// Why the segments after a base cannot be read.
#[derive(Debug, PartialEq)]
pub(super) struct Damaged;

/// The payloads of the whole segments in `rest` (the bytes after the base), in order, and how
/// many bytes of `rest` they take: a last segment cut short is left out. `Err` when a segment
/// whose bytes are all there fails its CRC-32, or the bytes are not segments.
pub(super) fn read(rest: &[u8]) -> Result<(Vec<&[u8]>, usize), Damaged> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < rest.len() {
        let tail = &rest[at..];
        let Some(nl) = tail.iter().take(MAX_LINE + 1).position(|&b| b == b'\n') else {
            // A first line cut short, or bytes that are not a segment.
            return if tail.len() <= MAX_LINE {
                Ok((found, at))
            } else {
                Err(Damaged)
            };
        };
        let (crc, len) = first_line(&tail[..nl]).ok_or(Damaged)?;
        let Some(payload) = tail[nl + 1..].get(..len) else {
            return Ok((found, at));
        };
        if crc32fast::hash(payload) != crc {
            return Err(Damaged);
        }
        found.push(payload);
        at += nl + 1 + len;
    }
    Ok((found, at))
}

/// The CRC-32 and length a segment's first line gives.
fn first_line(line: &[u8]) -> Option<(u32, usize)> {
    let line = std::str::from_utf8(line).ok()?;
    let mut fields = line.split(' ');
    let (Some(MAGIC), Some(crc), Some(len), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return None;
    };
    Some((u32::from_str_radix(crc, 16).ok()?, len.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_segments_are_read_in_order() {
        let rest = [segment(b"one"), segment(b""), segment(b"three")].concat();
        let (found, used) = read(&rest).unwrap();
        assert_eq!(found, [&b"one"[..], b"", b"three"]);
        assert_eq!(used, rest.len());
    }

    /// A build killed while appending leaves a segment cut anywhere: in its first line or in
    /// its payload. The segments before it are read; it is not.
    #[test]
    fn a_segment_cut_short_is_left_out() {
        let first = segment(b"kept");
        let rest = [first.clone(), segment(b"cut short")].concat();
        for cut in first.len()..rest.len() {
            let (found, used) = read(&rest[..cut]).unwrap();
            assert_eq!(found, [&b"kept"[..]], "cut at {cut}");
            assert_eq!(used, first.len());
        }
    }

    #[test]
    fn a_damaged_segment_or_foreign_bytes_are_refused() {
        let mut rest = [segment(b"one"), segment(b"two")].concat();
        let last = rest.len() - 1;
        rest[last] ^= 0x20;
        assert_eq!(read(&rest), Err(Damaged));
        assert_eq!(read(b"not a segment\nat all"), Err(Damaged));
        assert_eq!(read(&[b'x'; 200]), Err(Damaged));
    }
}
