//! A progress bar on standard error while a run goes: files done of the total, reports per
//! second, the time left and the errors so far. It is a [`Sink`], fed beside the output sink
//! through [`crate::Tee`], so the driver keeps one loop.

use crate::{Input, Sink, Summary};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal, Write};
use xxgk_model::diagnostic::Status;

/// Progress on standard error, or nothing: hidden unless asked for, and never drawn when
/// standard error is not a terminal.
pub struct ProgressSink {
    bar: ProgressBar,
    errors: usize,
}

impl ProgressSink {
    /// A bar on standard error when `show` (and standard error is a terminal), else a sink
    /// that draws nothing.
    pub fn new(show: bool) -> ProgressSink {
        let bar = if show && io::stderr().is_terminal() {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{bar:30} {pos}/{len} files  {rate} reports/s  ETA {eta}  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}", state.per_sec());
                },
            );
            bar.set_style(style);
            bar
        } else {
            ProgressBar::hidden()
        };
        ProgressSink { bar, errors: 0 }
    }

    /// The bar for standard error unless `quiet`: what the commands use.
    pub fn stderr(quiet: bool) -> ProgressSink {
        ProgressSink::new(!quiet)
    }

    /// Whether nothing is drawn.
    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// `out`, written to with the bar cleared while writing (and drawn again after), so text
    /// going to the same terminal as the bar is not garbled.
    pub fn writer<W: Write>(&self, out: W) -> Suspended<W> {
        Suspended {
            bar: (!self.bar.is_hidden()).then(|| self.bar.clone()),
            out,
        }
    }
}

impl Sink for ProgressSink {
    fn begin(&mut self, reports: usize) -> io::Result<()> {
        self.bar.set_length(reports as u64);
        self.bar.reset_eta();
        Ok(())
    }

    fn report(&mut self, input: &Input<'_>) -> io::Result<()> {
        if input.checked.status() == Status::Failed {
            self.errors += 1;
            self.bar.set_message(format!("{} with errors", self.errors));
        }
        self.bar.inc(1);
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.bar.finish_and_clear();
        Ok(())
    }
}

impl Drop for ProgressSink {
    fn drop(&mut self) {
        // A run stopped by an error leaves no bar behind either.
        if !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}

/// A writer that clears the progress bar around each write ([`ProgressSink::writer`]).
pub struct Suspended<W> {
    /// The bar, when it is drawn (a hidden bar stays hidden: asking it costs a lock per write).
    bar: Option<ProgressBar>,
    out: W,
}

impl<W: Write> Write for Suspended<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(bar) = &self.bar else {
            return self.out.write(buf);
        };
        let out = &mut self.out;
        bar.suspend(|| out.write(buf))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let Some(bar) = &self.bar else {
            return self.out.write_all(buf);
        };
        let out = &mut self.out;
        bar.suspend(|| {
            out.write_all(buf)?;
            // Shown before the bar comes back.
            out.flush()
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_when_not_asked_for_and_writes_pass_through() {
        let mut sink = ProgressSink::new(false);
        assert!(sink.is_hidden());
        let mut out = Vec::new();
        {
            let mut w = sink.writer(&mut out);
            w.write_all(b"line\n").unwrap();
            write!(w, "{}", 2).unwrap();
        }
        assert_eq!(out, b"line\n2");
        sink.begin(3).unwrap();
        sink.finish(&Summary::default()).unwrap();
        // --quiet
        assert!(ProgressSink::stderr(true).is_hidden());
    }
}
