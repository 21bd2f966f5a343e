//! kadian binary: parse the command line, run the TUI or a command, map errors to exit
//! codes (0 ok, 1 error with one line on stderr, 2 usage).

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = kadian::cli::Cli::parse();
    // Messages shown through `Display` (errors on stderr) follow --lang from here on.
    kadian::i18n::set_process_lang(kadian::cli::lang(&cli));
    kadian::cli::check_usage(&cli);
    let clock: std::sync::Arc<dyn kadian::clock::Clock> = kadian::clock::from_env().into();
    let result = match &cli.command {
        None => kadian::cli::data_dir(&cli)
            .and_then(|dir| kadian::tui::run(&dir, kadian::cli::lang(&cli), clock.clone())),
        Some(cmd) => kadian::cli::run(&cli, cmd, clock.as_ref()),
    };
    // For `kadian bench`, which runs commands as child processes to measure their memory.
    if std::env::var_os("KADIAN_REPORT_RSS").is_some()
        && let Some(kb) = kadian::bench::peak_rss_kb()
    {
        eprintln!("kadian-peak-rss-kb {kb}");
    }
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader went away (`kadian list | head`): not an error of ours.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            std::process::ExitCode::SUCCESS
        }
        // A command that does not apply to this data dir (`demo` on a real checkpoint).
        Err(e) if e.downcast_ref::<kadian::cli::UsageError>().is_some() => {
            eprintln!("kadian: {e}");
            std::process::ExitCode::from(2)
        }
        Err(e) => {
            // One line: the error and its causes, each said once.
            let mut msg = String::new();
            for c in e.chain() {
                let cause = c.to_string();
                if !msg.contains(&cause) {
                    if !msg.is_empty() {
                        msg.push_str(": ");
                    }
                    msg.push_str(&cause);
                }
                // A library error says all of itself in the user's language; what lies
                // under it (the system's own wording) is for the log.
                if c.downcast_ref::<kadian::error::Error>().is_some()
                    || c.downcast_ref::<kadian::error::FieldError>().is_some()
                {
                    break;
                }
            }
            let msg = msg.replace('\n', " ");
            eprintln!("kadian: {msg}");
            std::process::ExitCode::from(1)
        }
    }
}
