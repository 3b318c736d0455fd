//! Hostile orgs and clients (SPEC 7.1, 7.2): each module attacks one class of defect and
//! asserts that accord refuses or reports it, and never loses data, leaks a file or panics.
#[path = "../common/mod.rs"]
mod common;

mod output;
mod reading;
mod robustness;
mod serve;
mod values;
