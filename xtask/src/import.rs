//! `cargo xtask import`: spec drafts from Alibaba's published API metadata,
//! or (`--drift`) how the curated specs differ from it. The logic lives in
//! `wiregen_codegen::import`; this module reads files and maps arguments.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use wiregen_codegen::import::{self, Request};
use wiregen_codegen::read_spec_dir;

/// Exit code: the metadata can not be read or the drafts can not be written.
const EXIT_USAGE: u8 = 2;
/// Exit code: the metadata is malformed (the message names the JSON path).
const EXIT_INVALID: u8 = 3;

/// Arguments of `cargo xtask import`.
#[derive(clap::Args)]
pub struct Args {
    /// The metadata file (`api-docs.json` of one product version).
    file: PathBuf,
    /// The same revision in another language (`zh_cn`), for the prose the
    /// file lacks; kept as published and marked in each draft's provenance.
    #[arg(long, value_name = "FILE")]
    prose: Option<PathBuf>,
    /// Service (directory) name [default: the product code in lower case].
    #[arg(long, value_name = "NAME")]
    service: Option<String>,
    /// Spec tree to draft into [default: `spec/` of the repository].
    #[arg(long, value_name = "DIR")]
    spec: Option<PathBuf>,
    /// Print what would be written, write nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Runs the command. Exit codes: 0 drafted (or nothing to draft), 2 usage,
/// 3 malformed metadata.
pub fn run(args: Args) -> ExitCode {
    let spec_dir = match args.spec {
        Some(dir) => dir,
        None => match crate::repo_root() {
            Ok(root) => root.join("spec"),
            Err(code) => return code,
        },
    };
    let metadata = match read(&args.file) {
        Ok(text) => text,
        Err(code) => return code,
    };
    let prose = match args.prose.as_deref().map(read).transpose() {
        Ok(text) => text,
        Err(code) => return code,
    };
    let existing = if spec_dir.exists() {
        match read_spec_dir(&spec_dir) {
            Ok(files) => files,
            Err(diagnostics) => {
                eprint!("{}", wiregen_codegen::render_all(&diagnostics));
                return ExitCode::from(EXIT_USAGE);
            }
        }
    } else {
        Vec::new()
    };
    let label = args.file.display().to_string();
    let prose_label = args.prose.as_ref().map(|p| p.display().to_string());
    let started = Instant::now();
    let request = Request {
        metadata: &metadata,
        label: &label,
        prose: prose.as_deref().zip(prose_label.as_deref()),
        service: args.service.as_deref(),
        existing: &existing,
    };
    let draft = match import::draft(&request) {
        Ok(draft) => draft,
        Err(e) => {
            eprintln!("error: {label}: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let elapsed = started.elapsed();
    for note in &draft.notes {
        eprintln!("{note}");
    }
    if args.dry_run {
        for file in &draft.files {
            println!("would write {}", spec_dir.join(&file.path).display());
        }
    } else if let Err(e) = import::write(&spec_dir, &draft) {
        eprintln!("error: {e}");
        return ExitCode::from(EXIT_USAGE);
    }
    let c = &draft.counts;
    eprintln!(
        "{}: {} of {} operations drafted ({} parameters, {} types, {} error codes), {} refused, {} curated left alone, {} facts not held; prose: {} own, {} from --prose; {} ms",
        draft.service,
        c.operations,
        c.upstream_operations,
        c.params,
        c.types,
        c.error_codes,
        c.refused,
        c.curated,
        c.not_held,
        c.prose_own,
        c.prose_other,
        elapsed.as_millis()
    );
    ExitCode::SUCCESS
}

fn read(path: &Path) -> Result<String, ExitCode> {
    fs::read_to_string(path).map_err(|e| {
        eprintln!("error: can not read {}: {e}", path.display());
        ExitCode::from(EXIT_USAGE)
    })
}
