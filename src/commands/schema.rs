//! `subledger schema`: the JSON Schemas editors validate with.

use super::{Context, Outcome};
use crate::error::{Error, Result};

super::choice! {
    /// `schema WHICH`.
    SchemaChoice => crate::schema::Schema {
        /// register/*.toml, one vendor a file
        Vendor,
        /// subledger.toml
        Config,
        /// customers/*.toml
        Customer,
    }
}

/// Print the JSON Schema of a vendor file, subledger.toml or a customer file
///
/// The schemas come from the tables the reader checks files against, so
/// an editor that validates with them (taplo, VS Code's Even Better TOML)
/// flags the same unknown keys and wrong types as `subledger check` while
/// you type, and completes keys with their descriptions. `subledger import`
/// and `subledger demo` write them under schemas/ with a .taplo.toml that
/// maps register/*.toml, subledger.toml and customers/*.toml to them; after
/// upgrading subledger, print them again to pick up new keys.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  subledger schema vendor > schemas/vendor.schema.json\n  taplo check register/*.toml    (with the .taplo.toml that import and demo write)"
)]
pub struct SchemaArgs {
    /// Which file's schema
    #[arg(value_enum, value_name = "FILE")]
    pub which: SchemaChoice,
}

pub fn run(args: &SchemaArgs, ctx: &mut Context<'_>) -> Result<Outcome> {
    let schema = crate::schema::Schema::from(args.which);
    ctx.out
        .write_all(schema.text().as_bytes())
        .map_err(Error::Output)?;
    Ok(Outcome::Clean)
}
