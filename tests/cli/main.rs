//! End-to-end tests: the real `subledger` binary on registers built in
//! temporary directories (and git repositories built with git2, with fixed
//! authors and times), compared as whole outputs with insta snapshots.

mod audit;
mod baseline;
mod check;
mod ci;
mod common;
mod damage;
mod editor;
mod feed;
mod history;
mod hostile;
mod import;
mod install;
mod list;
mod notice;
mod outputs;
mod precommit;
mod release;
mod render;
mod seeds;
mod send;
mod shallow;
mod shell;
mod site;
mod spreadsheet;
mod verify;
mod workflows;
