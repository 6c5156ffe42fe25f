//! The command line: global options, the [`Command`] enum and the one
//! dispatch `match`. Each subcommand's flags and help live in its own file
//! under `commands/`.

use crate::commands::{self, Context, Outcome};
use crate::error::Result;
use crate::render::Style;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Keep a GDPR sub-processor list as a git-backed audit ledger
///
/// The register is one TOML file per vendor under register/ in a git
/// repository, configured by subledger.toml at its root; git history is the
/// ledger. subledger validates the register and shows it, turns history into
/// an audit timeline, tags releases, writes the customer notices and the
/// public page, and gives auditors the evidence: for privacy and legal
/// teams and for the auditors who ask when each vendor was added and when
/// customers were told.
///
/// Exit status: 0 ok, 1 findings (check problems, an incomplete list or
/// page, changes with diff --exit-code, history that verify finds broken),
/// 2 could not run (or a refused release or save).
#[derive(Debug, Parser)]
#[command(name = "subledger", version, propagate_version = true)]
#[command(
    after_help = "New here? `subledger demo` builds a repository with a year of history to try every command on.\nIn a register repository: check, list, timeline, release, notice, render.\nAn existing page? `subledger import page.md`. The format is in register/README.md."
)]
pub struct Cli {
    /// The register repository (default: the nearest directory above the current one with a subledger.toml)
    #[arg(long, global = true, value_name = "PATH")]
    pub repo: Option<PathBuf>,

    /// When to use colour (auto: only on a terminal and when NO_COLOR is unset)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print nothing on stderr but errors
    #[arg(long, short, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    Check(commands::check::CheckArgs),
    List(commands::list::ListArgs),
    Timeline(commands::timeline::TimelineArgs),
    Demo(commands::demo::DemoArgs),
    Diff(commands::diff::DiffArgs),
    History(commands::history::HistoryArgs),
    Release(commands::release::ReleaseArgs),
    Notice(commands::notice::NoticeArgs),
    Send(commands::send::SendArgs),
    Object(commands::object::ObjectArgs),
    Render(commands::render::RenderArgs),
    Feed(commands::feed::FeedArgs),
    Site(commands::site::SiteArgs),
    Verify(commands::verify::VerifyArgs),
    Audit(commands::audit::AuditArgs),
    Import(commands::import::ImportArgs),
    Schema(commands::schema::SchemaArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Print a shell completion script
///
/// Load it in your shell's start-up file, or save it where the shell looks
/// for completions.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  source <(subledger completions bash)          (in ~/.bashrc)\n  subledger completions zsh > ~/.zfunc/_subledger\n  subledger completions fish > ~/.config/fish/completions/subledger.fish"
)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Write the manual pages: subledger(1) and one per subcommand
///
/// Without --out, prints subledger(1) to stdout; with --out DIR, writes
/// subledger.1 and subledger-COMMAND.1 for every subcommand into DIR (an
/// existing page is replaced only with --force).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger man | man -l -\n  subledger man --out ~/.local/share/man/man1"
)]
pub struct ManArgs {
    /// Write every page into DIR
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Replace pages already in DIR
    #[arg(long)]
    pub force: bool,
}

impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Check(_) => "check",
            Command::List(_) => "list",
            Command::Timeline(_) => "timeline",
            Command::Demo(_) => "demo",
            Command::Diff(_) => "diff",
            Command::History(_) => "history",
            Command::Release(_) => "release",
            Command::Notice(_) => "notice",
            Command::Send(_) => "send",
            Command::Object(_) => "object",
            Command::Render(_) => "render",
            Command::Feed(_) => "feed",
            Command::Site(_) => "site",
            Command::Verify(_) => "verify",
            Command::Audit(_) => "audit",
            Command::Import(_) => "import",
            Command::Schema(_) => "schema",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
        }
    }
}

fn clicolor_force() -> bool {
    std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Decides terminal styling from the flags and the environment.
fn style(choice: ColorChoice) -> Style {
    let terminal = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        // CLICOLOR_FORCE (set and not 0) asks for colour off a terminal too,
        // as in other tools; NO_COLOR still wins.
        ColorChoice::Auto => (terminal || clicolor_force()) && !no_color,
    };
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok());
    let width = match columns {
        Some(w) if w > 0 => Some(w),
        _ if terminal => None,
        _ => Some(100),
    };
    Style { color, width }
}

/// `subledger completions SHELL`.
fn completions(args: &CompletionsArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(args.shell, &mut cmd, "subledger", ctx.out);
    Ok(Outcome::Clean)
}

/// `subledger man [--out DIR]`.
fn man(args: &ManArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    let page = |cmd: &clap::Command| -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        clap_mangen::Man::new(cmd.clone())
            .render(&mut bytes)
            .map_err(crate::Error::Output)?;
        Ok(bytes)
    };
    let Some(dir) = &args.out else {
        ctx.out
            .write_all(&page(&cmd)?)
            .map_err(crate::Error::Output)?;
        return Ok(Outcome::Clean);
    };
    let mut pages = vec![("subledger.1".to_owned(), page(&cmd)?)];
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("subledger-{}", sub.get_name());
        let sub = sub.clone().name(name.clone());
        pages.push((format!("{name}.1"), page(&sub)?));
    }
    for (file, bytes) in &pages {
        crate::files::write_new(&dir.join(file), bytes, args.force)?;
    }
    if !ctx.quiet {
        writeln!(
            ctx.err,
            "wrote {} manual pages to {}",
            pages.len(),
            dir.display()
        )
        .map_err(crate::Error::Output)?;
    }
    Ok(Outcome::Clean)
}

/// Runs the parsed command line, writing to `out` and `err`.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome> {
    let mut ctx = Context {
        repo: cli.repo,
        style: style(cli.color),
        quiet: cli.quiet,
        out,
        err,
    };
    let name = cli.command.name();
    let outcome = match &cli.command {
        Command::Check(args) => commands::check::run(args, &mut ctx),
        Command::List(args) => commands::list::run(args, &mut ctx),
        Command::Timeline(args) => commands::timeline::run(args, &mut ctx),
        Command::Demo(args) => commands::demo::run(args, &mut ctx),
        Command::Diff(args) => commands::diff::run(args, &mut ctx),
        Command::History(args) => commands::history::run(args, &mut ctx),
        Command::Release(args) => commands::release::run(args, &mut ctx),
        Command::Notice(args) => commands::notice::run(args, &mut ctx),
        Command::Send(args) => commands::send::run(args, &mut ctx),
        Command::Object(args) => commands::object::run(args, &mut ctx),
        Command::Render(args) => commands::render::run(args, &mut ctx),
        Command::Feed(args) => commands::feed::run(args, &mut ctx),
        Command::Site(args) => commands::site::run(args, &mut ctx),
        Command::Verify(args) => commands::verify::run(args, &mut ctx),
        Command::Audit(args) => commands::audit::run(args, &mut ctx),
        Command::Import(args) => commands::import::run(args, &mut ctx),
        Command::Schema(args) => commands::schema::run(args, &mut ctx),
        Command::Completions(args) => completions(args, &mut ctx),
        Command::Man(args) => man(args, &mut ctx),
    }
    .map_err(|e| e.during(name))?;
    ctx.out.flush().map_err(crate::Error::Output)?;
    Ok(outcome)
}
