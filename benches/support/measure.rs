//! What the benchmarks share: scratch directories on tmpfs, medians, number formatting.
//! Each benchmark uses a part of it.
#![allow(dead_code)]

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A new directory named `accord-bench-{label}-…`, on tmpfs when /dev/shm exists (this
/// machine's disk rewrites a just-deleted tree several times slower).
pub fn fresh_dir(label: &str) -> io::Result<PathBuf> {
    let shm = Path::new("/dev/shm");
    let parent = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = parent.join(format!(
        "accord-bench-{label}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir(&dir)?;
    Ok(dir)
}

/// The median of `times` (sorts them).
pub fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    let n = times.len();
    if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `ACCORD_BENCH_SMOKE=1`: every case runs once, at its smallest size, so that CI proves
/// each benchmark still runs (its numbers mean nothing).
pub fn smoke() -> bool {
    std::env::var_os("ACCORD_BENCH_SMOKE").is_some()
}

/// `runs` measurements, or one in a smoke run.
pub fn runs(runs: usize) -> usize {
    if smoke() { 1 } else { runs }
}

/// The sizes to measure: `ACCORD_BENCH_SIZES` (`1000,10000,30000`) or `default`; the
/// smallest of `default` alone in a smoke run.
pub fn sizes(default: &[usize]) -> io::Result<Vec<usize>> {
    if smoke() {
        return Ok(default.iter().min().copied().into_iter().collect());
    }
    let Ok(text) = std::env::var("ACCORD_BENCH_SIZES") else {
        return Ok(default.to_vec());
    };
    let sizes: Vec<usize> = text
        .split(',')
        .map(|s| s.trim().replace('_', "").parse::<usize>())
        .collect::<Result<_, _>>()
        .map_err(|e| io::Error::other(format!("ACCORD_BENCH_SIZES={text:?}: {e}")))?;
    if sizes.is_empty() {
        return Err(io::Error::other("ACCORD_BENCH_SIZES is empty"));
    }
    Ok(sizes)
}

/// Copies the folder `from` to `to`, recursively (links followed).
pub fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
