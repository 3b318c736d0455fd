//! JSON Schemas of the file kinds (draft-07), generated from the loader's own schema so
//! editor completion and `accord check` can never disagree.

use serde_json::{Map, Value, json};

use crate::load::ID_PATTERN;
use crate::load::schema::{FILE_KINDS, FieldType, HANDLE_PATTERN, TableSchema};
use crate::text::ONE_LINE_PATTERN;

/// (file name, schema) for every file kind: `agreement.json`, `people.json`, ...
pub fn json_schemas() -> Vec<(String, Value)> {
    FILE_KINDS
        .iter()
        .map(|(name, table)| {
            let mut schema = if *name == "people" {
                json!({
                    "type": "object",
                    "description": "people.toml: every person, keyed by id.",
                    "propertyNames": { "pattern": ID_PATTERN, "maxLength": 64 },
                    "additionalProperties": table_schema(table),
                })
            } else {
                table_schema(table)
            };
            if let Value::Object(map) = &mut schema {
                map.insert(
                    "$schema".into(),
                    json!("http://json-schema.org/draft-07/schema#"),
                );
                map.insert("title".into(), json!(format!("accord {name}")));
            }
            (format!("{name}.json"), schema)
        })
        .collect()
}

fn table_schema(table: &TableSchema) -> Value {
    let properties: Map<String, Value> = table
        .fields
        .iter()
        .map(|field| {
            let mut schema = type_schema(field.ty);
            if let Value::Object(map) = &mut schema {
                map.insert("description".into(), json!(field.doc));
                if field.min_items > 0 {
                    map.insert("minItems".into(), json!(field.min_items));
                }
            }
            (field.key.to_owned(), schema)
        })
        .collect();
    let required: Vec<&str> = table
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn type_schema(ty: FieldType) -> Value {
    let id = json!({ "type": "string", "pattern": ID_PATTERN, "maxLength": 64 });
    match ty {
        FieldType::Text => json!({ "type": "string", "pattern": ONE_LINE_PATTERN }),
        FieldType::Markdown => json!({ "type": "string" }),
        FieldType::Handle => json!({ "type": "string", "pattern": HANDLE_PATTERN }),
        FieldType::Word(words) => json!({ "type": "string", "enum": words }),
        // Taplo represents TOML dates as strings with a date format.
        FieldType::Date => json!({ "type": "string", "format": "date" }),
        FieldType::Integer => json!({ "type": "integer" }),
        FieldType::PositiveInteger => json!({ "type": "integer", "minimum": 1 }),
        FieldType::Number => json!({ "type": "number" }),
        FieldType::PositiveNumber => json!({ "type": "number", "exclusiveMinimum": 0 }),
        FieldType::Fraction => json!({ "type": "number", "exclusiveMinimum": 0, "maximum": 1 }),
        FieldType::Id | FieldType::Ref(_) => id,
        FieldType::Texts => json!({
            "type": "array",
            "items": { "type": "string", "pattern": ONE_LINE_PATTERN }
        }),
        FieldType::Refs(_) => json!({ "type": "array", "items": id }),
        FieldType::Table(table) => table_schema(table),
        FieldType::Tables(table) => json!({ "type": "array", "items": table_schema(table) }),
        FieldType::TextMap => {
            json!({
                "type": "object",
                "propertyNames": { "pattern": ONE_LINE_PATTERN },
                "additionalProperties": { "type": "string", "pattern": ONE_LINE_PATTERN }
            })
        }
        FieldType::LintMap => json!({
            "type": "object",
            "propertyNames": { "enum": crate::check::RULES.iter().map(|r| r.id).collect::<Vec<_>>() },
            "additionalProperties": { "type": "string", "enum": crate::model::LintLevel::WORDS },
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_closed_schema() {
        let schemas = json_schemas();
        assert_eq!(schemas.len(), FILE_KINDS.len());
        let (_, agreement) = schemas.iter().find(|(n, _)| n == "agreement.json").unwrap();
        assert_eq!(agreement["additionalProperties"], false);
        assert_eq!(
            agreement["properties"]["term"]["items"]["required"][0],
            "id"
        );
        assert_eq!(agreement["properties"]["parties"]["minItems"], 2);
    }
}
