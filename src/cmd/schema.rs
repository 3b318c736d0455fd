//! `accord schema`: JSON Schemas for editors.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub fn run(out: Option<&Path>) -> Result<ExitCode, String> {
    let schemas = accord::schema::json_schemas();
    let Some(out) = out else {
        let mut text = String::new();
        let _ = writeln!(
            text,
            "JSON Schemas of the accord file kinds (write them with `accord schema -o DIR`):"
        );
        for (name, _) in &schemas {
            let _ = writeln!(text, "  {name}");
        }
        let _ = writeln!(
            text,
            "Then start a TOML file with `#:schema ./DIR/agreement.json` (relative to the file)."
        );
        super::write_stdout(text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for (name, schema) in &schemas {
        let path = out.join(name);
        let text = serde_json::to_string_pretty(schema).map_err(|e| e.to_string())? + "\n";
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    super::write_stderr(format_args!(
        "wrote {} schemas to {}",
        schemas.len(),
        out.display()
    ));
    Ok(ExitCode::SUCCESS)
}
