//! IPv4 CIDR blocks (`10.0.0.0/16`): parsing, containment and overlap.
//!
//! The model only needs IPv4 prefixes, so a few lines of our own replace a dependency. Parsing is
//! strict (four decimal octets, a prefix of 0–32, nothing else) and never panics.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// An IPv4 network: an address and a prefix length. The address may have host bits set after
/// parsing; [`Cidr::is_network`] tells whether it does (validation rejects it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cidr {
    /// The address as a big-endian number (`10.0.0.0` is `0x0a000000`).
    pub addr: u32,
    /// Prefix length, 0–32.
    pub prefix: u8,
}

/// The whole IPv4 space, `0.0.0.0/0`: what "anywhere" means in a route or a security group rule.
pub const ANYWHERE: Cidr = Cidr { addr: 0, prefix: 0 };

impl Cidr {
    /// The netmask of this prefix (`/24` is `255.255.255.0`).
    pub fn mask(&self) -> u32 {
        match self.prefix {
            0 => 0,
            p if p >= 32 => u32::MAX,
            p => u32::MAX << (32 - u32::from(p)),
        }
    }

    /// Whether the address has no host bits set (`10.0.0.0/16` yes, `10.0.0.1/16` no).
    pub fn is_network(&self) -> bool {
        self.addr & self.mask() == self.addr
    }

    /// The same prefix with the host bits cleared.
    pub fn network(&self) -> Cidr {
        Cidr { addr: self.addr & self.mask(), prefix: self.prefix }
    }

    /// Whether every address of `other` is inside `self`.
    pub fn contains(&self, other: &Cidr) -> bool {
        other.prefix >= self.prefix && (other.addr & self.mask()) == (self.addr & self.mask())
    }

    /// Whether the two blocks share at least one address (for prefixes, that is when one
    /// contains the other).
    pub fn overlaps(&self, other: &Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{text}' is not an IPv4 CIDR block: write it like 10.0.0.0/16");
        let (ip, prefix) = text.trim().split_once('/').ok_or_else(bad)?;
        let prefix = parse_decimal(prefix).filter(|p| *p <= 32).ok_or_else(bad)?;
        let mut octets = ip.split('.');
        let mut addr: u32 = 0;
        for _ in 0..4 {
            let octet = octets.next().and_then(parse_decimal).filter(|o| *o <= 255);
            addr = (addr << 8) | octet.ok_or_else(bad)?;
        }
        if octets.next().is_some() {
            return Err(bad());
        }
        // `prefix <= 32` was checked just above, so the narrowing cannot fail.
        let prefix = u8::try_from(prefix).map_err(|_| bad())?;
        Ok(Cidr { addr, prefix })
    }
}

// Only plain decimal digits, at most three of them: "+1", " 1", "0x1" and "0001" are all refused.
fn parse_decimal(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 3 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::size::number::parse_uint(s)
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.addr.to_be_bytes();
        write!(f, "{a}.{b}.{c}.{d}/{}", self.prefix)
    }
}

impl Serialize for Cidr {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Cidr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(c("10.0.0.0/16"), Cidr { addr: 0x0a00_0000, prefix: 16 });
        assert_eq!(c("192.168.1.0/24").to_string(), "192.168.1.0/24");
        assert_eq!(c("0.0.0.0/0"), ANYWHERE);
    }

    #[test]
    fn refuses_garbage() {
        for bad in [
            "",
            "10.0.0.0",
            "10.0.0/16",
            "10.0.0.0.0/16",
            "256.0.0.0/8",
            "10.0.0.0/33",
            "a.b.c.d/8",
            "10.0.0.0/",
            "/16",
            "10.0.0.0/+1",
            "1000.0.0.0/8",
            "10.0.0.-1/8",
            "10.0.0.0/16/2",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn containment_and_overlap() {
        assert!(c("10.0.0.0/16").contains(&c("10.0.5.0/24")));
        assert!(!c("10.0.0.0/16").contains(&c("10.1.0.0/24")));
        assert!(!c("10.0.5.0/24").contains(&c("10.0.0.0/16")));
        assert!(c("10.0.5.0/24").overlaps(&c("10.0.0.0/16")));
        assert!(!c("10.0.0.0/24").overlaps(&c("10.0.1.0/24")));
        assert!(ANYWHERE.contains(&c("1.2.3.4/32")));
        assert!(!c("10.0.0.1/16").is_network());
        assert_eq!(c("10.0.0.1/16").network(), c("10.0.0.0/16"));
    }
}
