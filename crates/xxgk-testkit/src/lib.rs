//! Test support for xxgk, not published: [`synth`] generates consistent reports of both
//! editions; [`degrade`] renders them as text in the national layout, clean or damaged the way
//! real extractions damage it, with the truth of every cell. Tests and `cargo xtask
//! bench-corpus` use them.

pub mod degrade;
pub mod synth;
