//! Soufflé-style facts files (one tuple a line, tab-separated): the form in which every
//! engine receives the same input tuples.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::Pair;

/// Writes `pairs` to `path`, one tab-separated pair a line.
pub fn write_pairs(path: &Path, pairs: &[Pair]) -> Result<()> {
    let file = fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    for (a, b) in pairs {
        writeln!(out, "{a}\t{b}")?;
    }
    out.flush()
        .with_context(|| format!("writing {}", path.display()))
}

/// Reads the pairs of a facts file written by [`write_pairs`].
pub fn read_pairs(path: &Path) -> Result<Vec<Pair>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let parse = |field: Option<&str>| -> Result<u64> {
            let field = field.unwrap_or_default();
            field
                .parse()
                .with_context(|| format!("{}:{}: `{field}` is not a u64", path.display(), n + 1))
        };
        let mut fields = line.split('\t');
        let pair = (parse(fields.next())?, parse(fields.next())?);
        if fields.next().is_some() {
            bail!("{}:{}: more than two columns", path.display(), n + 1);
        }
        pairs.push(pair);
    }
    Ok(pairs)
}

/// The number of non-empty lines of a file: the tuples of an output CSV.
pub fn count_lines(path: &Path) -> Result<u64> {
    let text = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_round_trip_through_a_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("edge.facts");
        let pairs = vec![(1, 2), (3, u64::MAX), (0, 0)];
        write_pairs(&path, &pairs).expect("written");
        assert_eq!(read_pairs(&path).expect("read"), pairs);
        assert_eq!(count_lines(&path).expect("counted"), 3);
    }

    #[test]
    fn a_bad_line_names_the_file_and_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("edge.facts");
        fs::write(&path, "1\t2\n3\tx\n").expect("written");
        let err = read_pairs(&path).expect_err("line 2 is bad").to_string();
        assert!(err.ends_with("edge.facts:2: `x` is not a u64"), "{err}");
    }
}
