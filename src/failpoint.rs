//! Named pauses between the steps of an index write, for crash tests.
//!
//! When `COMMONPLACE_FAILPOINT` names a step, the process prints
//! `failpoint <step> reached` on stderr when it gets there and then waits
//! forever, so a test can `kill -9` it at exactly that instant. Unset (always,
//! outside tests) this costs one environment lookup per write step.

/// Environment variable naming the step to stop at.
pub const VAR: &str = "COMMONPLACE_FAILPOINT";

/// Stop here forever if the environment names this step.
pub fn hit(step: &str) {
    if std::env::var(VAR).is_ok_and(|v| v == step) {
        eprintln!("failpoint {step} reached");
        loop {
            std::thread::park();
        }
    }
}
