//! `accord schema`: JSON Schemas for editors.

use std::path::Path;
use std::process::ExitCode;

pub fn run(out: Option<&Path>) -> Result<ExitCode, String> {
    let schemas = accord::schema::json_schemas();
    let Some(out) = out else {
        println!("JSON Schemas of the accord file kinds (write them with `accord schema -o DIR`):");
        for (name, _) in &schemas {
            println!("  {name}");
        }
        println!(
            "Then start a TOML file with `#:schema ./DIR/agreement.json` (relative to the file)."
        );
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for (name, schema) in &schemas {
        let path = out.join(name);
        let text = serde_json::to_string_pretty(schema).map_err(|e| e.to_string())? + "\n";
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    eprintln!("wrote {} schemas to {}", schemas.len(), out.display());
    Ok(ExitCode::SUCCESS)
}
