//! The names the query reads: tables the user names (plain dotted identifiers only) and the
//! columns of each field, canonical or mapped by `--preset`/`--map` where the mapping names
//! exactly one column.

use super::dialect::Dialect;
use crate::config::Field;
use crate::error::{Error, Result};
use crate::input::Preset;

/// A table as the query writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// As the user typed it, for the record.
    pub name: String,
    /// Quoted, part by part.
    pub sql: String,
}

/// Check a table name given with `flag` and quote it: one to three parts
/// (`database.schema.table`, BigQuery's `project.dataset.table`) of letters, digits and `_`
/// (and `-` inside a BigQuery project name), none starting with a digit.
pub fn table(dialect: Dialect, flag: &str, name: &str) -> Result<Table> {
    let parts: Vec<&str> = name.split('.').collect();
    let plain = |part: &str, first: bool| {
        let dash = first && parts.len() == 3 && dialect == Dialect::Bigquery;
        part.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || (dash && c == '-'))
    };
    let ok = (1..=3).contains(&parts.len())
        && parts
            .iter()
            .enumerate()
            .all(|(i, part)| plain(part, i == 0));
    if !ok {
        return Err(Error::BadFlag {
            message: format!(
                "{flag} {:?} is not a plain table name",
                crate::text::printable(name)
            ),
            hint: "name the table as schema.table or database.schema.table, each part letters, digits and _ (create a view first for any other name)".into(),
        });
    }
    let sql: Vec<String> = parts.iter().map(|p| dialect.plain(p)).collect();
    Ok(Table {
        name: name.to_string(),
        sql: sql.join("."),
    })
}

/// A column as the query writes it: a plain name as the same word unquoted would name it,
/// any other name quoted exactly.
pub fn column(dialect: Dialect, name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        dialect.plain(name)
    } else {
        dialect.quote(name)
    }
}

/// The column names of a field: `--map`'s, the preset's single candidate, or the canonical
/// name. A status may join several columns; any other field is one column.
pub fn field_columns(preset: &Preset, field: Field) -> Result<Vec<String>> {
    let Some(names) = preset.map.get(&field).filter(|n| !n.is_empty()) else {
        return Ok(vec![field.to_string()]);
    };
    let from_map = preset.mapped.contains(&field);
    if let Some(path) = names.iter().find(|n| n.contains('.')) {
        return Err(Error::Usage {
            message: format!(
                "{field} is read from the JSON path {path:?}, which a warehouse table does not have"
            ),
            hint: format!(
                "load the events flattened, one column per field, and name the column with --map {field}=COLUMN"
            ),
        });
    }
    if names.len() == 1 || (from_map && field == Field::Status) {
        return Ok(names.clone());
    }
    let which = preset.name.as_deref().unwrap_or("the mapping");
    Err(Error::Usage {
        message: format!(
            "{which} reads {field} from whichever of {} the export has, and a query must name one",
            names.join(", ")
        ),
        hint: if field == Field::Status {
            format!(
                "name the table's column(s) with --map status=COLUMN (join columns with +, e.g. --map status={})",
                names.join("+")
            )
        } else {
            format!("name the table's column with --map {field}=COLUMN")
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_dotted_names_are_taken_and_quoted() {
        let t = table(Dialect::Snowflake, "--sends-table", "analytics.esp.sends").expect("ok");
        assert_eq!(t.sql, "\"ANALYTICS\".\"ESP\".\"SENDS\"");
        let t = table(Dialect::Bigquery, "--sends-table", "my-proj.esp.sends").expect("ok");
        assert_eq!(t.sql, "`my-proj`.`esp`.`sends`");
    }

    #[test]
    fn anything_else_is_refused() {
        for name in [
            "",
            "sends;drop table x",
            "a..b",
            "a.b.c.d",
            "1sends",
            "\"sends\"",
            "my-proj.esp.sends",
            "sends -- x",
            "s\u{e9}nds",
        ] {
            let refused = table(Dialect::Duckdb, "--sends-table", name);
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.to_string().contains("plain table name")),
                "{name:?}: {refused:?}"
            );
        }
    }

    #[test]
    fn columns_with_other_characters_are_quoted_as_written() {
        assert_eq!(
            column(Dialect::Snowflake, "Email Address"),
            "\"Email Address\""
        );
        assert_eq!(column(Dialect::Snowflake, "email"), "\"EMAIL\"");
        assert_eq!(column(Dialect::Postgres, "x\"; --"), "\"x\"\"; --\"");
    }
}
