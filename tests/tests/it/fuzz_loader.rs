//! Mutation fuzzing of the loader and validator: thousands of damaged
//! copies of the real specs and of the bad-spec catalogue must compile to
//! the IR or to diagnostics that point inside the files, never panic, and
//! never get past the structural check only to fail decoding.
//!
//! The mutator is seeded and deterministic (SplitMix64), so a failure
//! reproduces exactly; the seed and iteration are in the failure message.

use std::path::{Path, PathBuf};

use wiregen_codegen::diagnostic::DECODE_FAILED;
use wiregen_codegen::{SourceFile, compile, render_all};

/// Iterations in total: half on the real specs, half over the catalogue.
const ITERATIONS: usize = 3000;

/// SplitMix64: tiny, fast, and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every `.yaml` file below `root`, with paths relative to it.
fn yaml_files(root: &Path) -> Vec<SourceFile> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("readable dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let rel = path
                    .strip_prefix(root)
                    .expect("below root")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&path).expect("UTF-8 spec");
                out.push(SourceFile { path: rel, text });
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out
}

/// One tree per real service (a mutation only affects its own service, so
/// the others need not be compiled again), then one per bad-spec case.
fn corpus() -> (Vec<Vec<SourceFile>>, usize) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("repo root")
        .to_path_buf();
    let mut trees: Vec<Vec<SourceFile>> = Vec::new();
    for file in yaml_files(&repo.join("spec")) {
        let service = file.path.split('/').next().unwrap_or_default().to_owned();
        match trees.last_mut() {
            Some(tree) if tree[0].path.starts_with(&format!("{service}/")) => tree.push(file),
            _ => trees.push(vec![file]),
        }
    }
    let real = trees.len();
    let bad = repo.join("tests/bad_specs");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&bad)
        .expect("catalogue")
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    trees.extend(cases.iter().filter(|c| c.is_dir()).map(|c| yaml_files(c)));
    trees.retain(|t| !t.is_empty());
    (trees, real)
}

const SCALARS: &[&str] = &[
    "42",
    "-1",
    "3.5",
    "true",
    "null",
    "~",
    "\"\"",
    "[]",
    "{}",
    "[1, 2]",
    "{a: 1}",
    "\"list<\"",
    "map<int32>",
    "list<list<Nope>>",
    "é🦀中",
    "0x1F",
    ".inf",
    "'quoted'",
    "|",
    ">-",
    "&a x",
    "*a",
    "!!str 1",
    "99999999999999999999999",
    "https://",
    "{region}",
];
const KEYS: &[&str] = &[
    "foo", "type", "required", "in", "name", "fields", "enum", "style", "kind", "über", "🦀",
];
const CHARS: &[char] = &[
    '{', '}', '[', ']', ':', '-', '&', '*', '!', '|', '>', '\'', '"', '#', '%', '@', '`', '\t',
    '\n', 'é', '🦀', '\u{0}',
];

/// Applies one random mutation to `text`.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let i = rng.below(lines.len());
    match rng.below(9) {
        0 => {
            lines.remove(i);
        }
        1 => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        2 => {
            let j = rng.below(lines.len());
            lines.swap(i, j);
        }
        3 => {
            let line = &lines[i];
            lines[i] = match rng.below(3) {
                0 => format!("  {line}"),
                1 => line.strip_prefix("  ").unwrap_or(line).to_owned(),
                _ => format!("\t{line}"),
            };
        }
        4 => {
            // Replace the value of a `key: value` line.
            if let Some(colon) = lines[i].find(": ") {
                let scalar = rng.pick(SCALARS);
                lines[i] = format!("{}: {scalar}", &lines[i][..colon]);
            }
        }
        5 => {
            let indent: String = lines[i].chars().take_while(|c| *c == ' ').collect();
            let key = rng.pick(KEYS);
            let scalar = rng.pick(SCALARS);
            lines.insert(i, format!("{indent}{key}: {scalar}"));
        }
        6 => {
            let mut chars: Vec<char> = lines[i].chars().collect();
            let at = rng.below(chars.len() + 1);
            chars.insert(at, *rng.pick(CHARS));
            lines[i] = chars.into_iter().collect();
        }
        7 => {
            let mut chars: Vec<char> = lines[i].chars().collect();
            if !chars.is_empty() {
                let at = rng.below(chars.len());
                chars[at] = *rng.pick(CHARS);
            }
            lines[i] = chars.into_iter().collect();
        }
        _ => {
            // Truncate the file at a random character.
            let joined = lines.join("\n");
            let cut = joined
                .char_indices()
                .nth(rng.below(joined.chars().count() + 1))
                .map_or(joined.len(), |(b, _)| b);
            return joined[..cut].to_owned();
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[test]
fn mutated_specs_never_panic_and_diagnostics_point_into_files() {
    let (trees, real) = corpus();
    assert!(
        real >= 1 && trees.len() > 20,
        "corpus too small: {real} real, {} trees",
        trees.len()
    );
    let mut rng = Rng(0x5EED_2026);
    let mut outcomes = (0usize, 0usize);
    for iteration in 0..ITERATIONS {
        // Half the time the real specs, which start out valid.
        let tree = if rng.below(2) == 0 {
            rng.pick(&trees[..real])
        } else {
            rng.pick(&trees)
        };
        let mut files = tree.clone();
        let target = rng.below(files.len());
        for _ in 0..=rng.below(3) {
            files[target].text = mutate(&files[target].text, &mut rng);
        }
        let context = || {
            format!(
                "iteration {iteration}, file {}:\n{}",
                files[target].path, files[target].text
            )
        };
        match compile(&files) {
            Ok(_) => outcomes.0 += 1,
            Err(diagnostics) => {
                outcomes.1 += 1;
                assert!(
                    !diagnostics.is_empty(),
                    "Err without diagnostics at {}",
                    context()
                );
                assert!(
                    diagnostics.iter().any(|d| d.is_error()),
                    "Err without an error at {}",
                    context()
                );
                for d in &diagnostics {
                    assert!(
                        !d.message.starts_with(DECODE_FAILED),
                        "structural check and decoding disagree ({}) at {}",
                        d.message,
                        context()
                    );
                    if d.line == 0 {
                        continue;
                    }
                    let file = files.iter().find(|f| f.path == d.file);
                    let file = file.unwrap_or_else(|| {
                        panic!("diagnostic for unknown file {} at {}", d.file, context())
                    });
                    let lines = file.text.lines().count().max(1);
                    assert!(
                        d.line <= lines + 1 && d.column >= 1,
                        "bad position {}:{} in {}",
                        d.line,
                        d.column,
                        context()
                    );
                }
                // Rendering must not panic either.
                let _ = render_all(&diagnostics);
            }
        }
        // Input order never matters.
        if iteration.is_multiple_of(50) {
            let mut reversed = files.clone();
            reversed.reverse();
            assert_eq!(
                compile(&files),
                compile(&reversed),
                "order-dependent result at {}",
                context()
            );
        }
    }
    eprintln!(
        "fuzz: {ITERATIONS} mutated trees, {} compiled, {} rejected",
        outcomes.0, outcomes.1
    );
    assert!(
        outcomes.1 > 0,
        "no mutation was rejected: the mutator does nothing"
    );
}
