//! Test support for xxgk, not published: [`synth`] generates consistent reports of both
//! editions; tests and `cargo xtask bench-corpus` use it.

pub mod synth;
