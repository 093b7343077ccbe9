//! `cargo xtask import`: spec drafts from Alibaba's published API metadata,
//! or (`--drift`) how the curated specs differ from it. The logic lives in
//! `wiregen_codegen::import`; this module reads files and maps arguments.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use wiregen_codegen::import::{self, Request, drift};
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
    /// Write nothing; report how the curated operations of the service
    /// differ from the file (exit 4 when they do).
    #[arg(long, conflicts_with = "dry_run")]
    drift: bool,
    /// Output format of `--drift`.
    #[arg(long, value_enum, default_value_t = FormatArg::Text, requires = "drift")]
    format: FormatArg,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    /// For a terminal.
    Text,
    /// For a ticket or pull request.
    Markdown,
    /// For tools.
    Json,
}

/// Runs the command. Exit codes: 0 drafted (or nothing to draft; no drift),
/// 2 usage, 3 malformed metadata, 4 drift.
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
    if args.drift {
        return report_drift(&request, args.format);
    }
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
        "{}: {} of {} operations drafted ({} parameters, {} types, {} error codes; {} paged, {} streaming; examples: {} published samples, {} written from the types), {} refused, {} curated left alone, {} facts not held; prose: {} own, {} from --prose; {} ms",
        draft.service,
        c.operations,
        c.upstream_operations,
        c.params,
        c.types,
        c.error_codes,
        c.paginated,
        c.streaming,
        c.sample_examples,
        c.written_examples,
        c.refused,
        c.curated,
        c.not_held,
        c.prose_own,
        c.prose_other,
        elapsed.as_millis()
    );
    ExitCode::SUCCESS
}

fn report_drift(request: &Request<'_>, format: FormatArg) -> ExitCode {
    let drift = match drift::drift(request) {
        Ok(drift) => drift,
        Err(e) => {
            eprintln!("error: {}: {e}", request.label);
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let format = match format {
        FormatArg::Text => drift::Format::Text,
        FormatArg::Markdown => drift::Format::Markdown,
        FormatArg::Json => drift::Format::Json,
    };
    print!("{}", drift::render(&drift, format));
    if drift.report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(drift::EXIT_DRIFT)
    }
}

fn read(path: &Path) -> Result<String, ExitCode> {
    fs::read_to_string(path).map_err(|e| {
        eprintln!("error: can not read {}: {e}", path.display());
        ExitCode::from(EXIT_USAGE)
    })
}

/// Drafts of the newest fixture revision of each product
/// (`tests/fixtures/openmeta/<product>/en_us/`, prose from `zh_cn`), imported
/// into an empty tree: `cargo xtask contract` builds them clippy-clean and
/// documents them with its scratch workspace, so the importer's output is
/// held to the same contract as any spec.
pub fn newest_fixture_drafts(root: &Path) -> Result<Vec<wiregen_codegen::SourceFile>, String> {
    let fixtures = root.join("tests/fixtures/openmeta");
    let mut files = Vec::new();
    for product in ["rdsai", "aicontent"] {
        let dir = fixtures.join(product).join("en_us");
        let newest = fs::read_dir(&dir)
            .map_err(|e| format!("can not read {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|name| name.ends_with(".json"))
            .max()
            .ok_or_else(|| format!("no metadata in {}", dir.display()))?;
        let label = format!("{product}/en_us/{newest}");
        let prose_label = format!("{product}/zh_cn/{newest}");
        let read = |label: &str| {
            let path = fixtures.join(label);
            fs::read_to_string(&path).map_err(|e| format!("can not read {}: {e}", path.display()))
        };
        let metadata = read(&label)?;
        let prose = read(&prose_label)?;
        let draft = import::draft(&Request {
            metadata: &metadata,
            label: &label,
            prose: Some((&prose, &prose_label)),
            service: None,
            existing: &[],
        })
        .map_err(|e| format!("{label}: {e}"))?;
        if draft.counts.operations != draft.counts.upstream_operations {
            return Err(format!(
                "{label}: {} of {} operations drafted",
                draft.counts.operations, draft.counts.upstream_operations
            ));
        }
        files.extend(draft.files);
    }
    Ok(files)
}
