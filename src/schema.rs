//! JSON Schemas (draft-07) of the file kinds, generated from the loader's own schema so
//! editor completion and `accord check` can never disagree.

use serde_json::{Map, Value, json};

use crate::load::ID_PATTERN;
use crate::load::schema::{FILE_KINDS, FieldType, HANDLE_PATTERN, TableSchema};
use crate::text::ONE_LINE_PATTERN;

/// The name `accord schema -o DIR` gives the schema of a built site's `data.json` (not
/// `data.json` itself, which would read as the data).
pub const SITE_DATA_SCHEMA: &str = "site-data.json";

/// (file name, schema) for every file kind (`agreement.json`, `people.json`, ...), then
/// the schema of a built site's `data.json`.
pub fn json_schemas() -> Vec<(String, Value)> {
    let mut schemas = file_kind_schemas();
    schemas.push((SITE_DATA_SCHEMA.to_owned(), site_data_schema()));
    schemas
}

fn file_kind_schemas() -> Vec<(String, Value)> {
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

/// The schema of `data.json`: its top-level keys, the entity maps keyed by id (each entity
/// with its `id`), and the responsibility index. Entities are described by their key
/// fields only: their other fields are those of the files, resolved.
fn site_data_schema() -> Value {
    let id = json!({ "type": "string", "pattern": ID_PATTERN, "maxLength": 64 });
    let entities = json!({
        "type": "object",
        "propertyNames": id,
        "additionalProperties": {
            "type": "object",
            "required": ["id"],
            "properties": { "id": id },
        },
    });
    let number = json!({ "type": "number" });
    let distributions = json!({
        "description": "The spread of the latest measured period of each timed KPI, as [band, rows] pairs.",
        "type": "object",
        "propertyNames": id,
        "additionalProperties": {
            "type": "object",
            "required": ["period", "bands"],
            "additionalProperties": false,
            "properties": {
                "period": { "type": "string" },
                "bands": {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "items": [
                            { "type": "string" },
                            { "type": "integer", "minimum": 0 }
                        ],
                        "minItems": 2,
                        "maxItems": 2,
                    },
                },
            },
        },
    });
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "accord site data.json",
        "description": "data.json of a site built by `accord build`: the resolved org.",
        "type": "object",
        "required": ["version", "today", "org", "responsibilities"],
        "additionalProperties": false,
        "properties": {
            "version": {
                "description": "Format version of data.json, raised when a field changes meaning.",
                "const": crate::render::DATA_JSON_VERSION,
            },
            "today": { "type": "string", "format": "date" },
            "org": {
                "type": "object",
                "required": [
                    "settings", "people", "teams", "personas", "kpis", "actuals",
                    "agreements", "meetings", "docs"
                ],
                "additionalProperties": false,
                "properties": {
                    "settings": {
                        "type": "object",
                        "required": ["name"],
                        "properties": { "name": { "type": "string" } },
                    },
                    "people": entities,
                    "teams": entities,
                    "personas": entities,
                    "kpis": entities,
                    "actuals": {
                        "type": "object",
                        "propertyNames": id,
                        "additionalProperties": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["period", "value"],
                                "properties": {
                                    "period": { "type": "string" },
                                    "value": number,
                                    "count": { "type": "integer", "minimum": 0 },
                                },
                            },
                        },
                    },
                    "distributions": distributions,
                    "agreements": entities,
                    "meetings": entities,
                    "docs": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["path", "title", "body"],
                            "properties": {
                                "path": { "type": "string" },
                                "title": { "type": "string" },
                                "body": { "type": "string" },
                            },
                        },
                    },
                },
            },
            "responsibilities": {
                "type": "object",
                "propertyNames": id,
                "additionalProperties": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["kind"],
                        "properties": { "kind": { "type": "string" } },
                    },
                },
            },
        },
    })
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
        FieldType::Pattern(pattern) => json!({ "type": "string", "pattern": pattern }),
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
        FieldType::Boolean => json!({ "type": "boolean" }),
        FieldType::Dates => {
            json!({ "type": "array", "items": { "type": "string", "format": "date" } })
        }
        FieldType::TableMap(table) => json!({
            "type": "object",
            "propertyNames": { "pattern": ID_PATTERN, "maxLength": 64 },
            "additionalProperties": table_schema(table),
        }),
        FieldType::TextsMap => json!({
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": { "type": "string", "pattern": ONE_LINE_PATTERN },
            },
        }),
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
        assert_eq!(schemas.len(), FILE_KINDS.len() + 1);
        let (_, agreement) = schemas.iter().find(|(n, _)| n == "agreement.json").unwrap();
        assert_eq!(agreement["additionalProperties"], false);
        assert_eq!(
            agreement["properties"]["term"]["items"]["required"][0],
            "id"
        );
        assert_eq!(agreement["properties"]["parties"]["minItems"], 2);
    }
}
