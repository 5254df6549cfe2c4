//! A tiny, dependency-free writer of one-file zip packages (stored, not compressed).

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// A valid zip archive holding one file, stored uncompressed with a fixed timestamp, so the same
/// input always gives the same bytes. Handy for tests and for the conformance suite; real
/// packages come from the stubs crate.
///
/// ```
/// let zip = lambda_sync_aws::minimal_zip("index.js", b"exports.handler = async () => ({});");
/// assert!(zip.starts_with(b"PK\x03\x04"));
/// ```
///
/// # Panics
///
/// When the name or the contents do not fit a classic (non-zip64) archive.
pub fn minimal_zip(file_name: &str, contents: &[u8]) -> Vec<u8> {
    let name = file_name.as_bytes();
    let name_len = u16::try_from(name.len()).expect("file name too long for a zip");
    let size = u32::try_from(contents.len()).expect("contents too large for a zip");
    let crc = crc32(contents);
    // 1980-01-01 00:00:00 in DOS format.
    let (time, date) = (0u16, 0x21u16);
    let mut out = Vec::with_capacity(contents.len() + 2 * name.len() + 100);
    // Local file header.
    out.extend_from_slice(b"PK\x03\x04");
    out.extend_from_slice(&20u16.to_le_bytes()); // version needed
    out.extend_from_slice(&0u16.to_le_bytes()); // flags
    out.extend_from_slice(&0u16.to_le_bytes()); // method: stored
    out.extend_from_slice(&time.to_le_bytes());
    out.extend_from_slice(&date.to_le_bytes());
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra length
    out.extend_from_slice(name);
    out.extend_from_slice(contents);
    let central_offset = u32::try_from(out.len()).expect("zip too large");
    // Central directory header.
    out.extend_from_slice(b"PK\x01\x02");
    out.extend_from_slice(&0x031Eu16.to_le_bytes()); // made by: unix, 3.0
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&time.to_le_bytes());
    out.extend_from_slice(&date.to_le_bytes());
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra
    out.extend_from_slice(&0u16.to_le_bytes()); // comment
    out.extend_from_slice(&0u16.to_le_bytes()); // disk
    out.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
    out.extend_from_slice(&(0o100644u32 << 16).to_le_bytes()); // external: -rw-r--r--
    out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    out.extend_from_slice(name);
    let central_size = u32::try_from(out.len()).expect("zip too large") - central_offset;
    // End of central directory.
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_known_input() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn deterministic() {
        assert_eq!(minimal_zip("a", b"x"), minimal_zip("a", b"x"));
        assert!(minimal_zip("a", b"x").ends_with(&[0, 0]));
    }
}
